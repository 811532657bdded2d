{#-
    One row per merge link between two person identifiers ever seen
    (links accumulate): user_id–email (identify traits.email, consented
    identify calls only: doc block `analytics_consent_door`), contact–email,
    contact–user_id (App_User_Id__c), NPS user_id–email. anonymous_id is not
    a merge link (a shared device would fuse people): see
    int_anonymous_ids_linked. linked_at is data time: the earliest time a
    source showed the link. Links touching a hub identifier (more distinct
    neighbours than var('identity_max_links_per_identifier'), e.g. a shared
    mailbox) are flagged and never merge. Customer success's always_same
    rows (seeds/identity_overrides.csv, source `seed:identity_overrides.csv`)
    are links too, never hub links (doc block identity_overrides).
-#}
with

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

nps_responses as (
    select * from {{ ref('stg_support__nps_responses') }}
),

overrides as (
    select * from {{ ref('stg_seeds__identity_overrides') }}
),

identify_links as (
    select
        'user_id' as identifier_type_a,
        user_id as identifier_value_a,
        'email' as identifier_type_b,
        nullif(lower(trim(trait_email)), '') as identifier_value_b,
        'events' as link_source,
        occurred_at as linked_at
    from messages
    where message_type = 'identify'
        and user_id is not null
        and nullif(lower(trim(trait_email)), '') is not null
),

contact_email_links as (
    select
        'crm_contact_id' as identifier_type_a,
        contact_id as identifier_value_a,
        'email' as identifier_type_b,
        email_normalized as identifier_value_b,
        'crm' as link_source,
        system_modified_at as linked_at
    from contact_versions
    where email_normalized is not null
),

contact_user_links as (
    select
        'crm_contact_id' as identifier_type_a,
        contact_id as identifier_value_a,
        'user_id' as identifier_type_b,
        app_user_id as identifier_value_b,
        'crm' as link_source,
        system_modified_at as linked_at
    from contact_versions
    where app_user_id is not null
),

nps_links as (
    select
        'user_id' as identifier_type_a,
        user_id as identifier_value_a,
        'email' as identifier_type_b,
        email_normalized as identifier_value_b,
        'support' as link_source,
        submitted_at as linked_at
    from nps_responses
    where user_id is not null and email_normalized is not null
),

sightings as (
    select * from identify_links
    union all
    select * from contact_email_links
    union all
    select * from contact_user_links
    union all
    select * from nps_links
),

links as (
    -- the earliest sighting of each link (ties: the source name)
    select
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        link_source,
        linked_at
    from sightings
    qualify row_number() over (
            partition by
                identifier_type_a, identifier_value_a,
                identifier_type_b, identifier_value_b
            order by linked_at, link_source
        ) = 1
),

neighbour_counts as (
    select
        identifier_type,
        identifier_value,
        count(*) as neighbour_count
    from (
        select
            identifier_type_a as identifier_type,
            identifier_value_a as identifier_value
        from links
        union all
        select
            identifier_type_b,
            identifier_value_b
        from links
    ) as link_ends
    group by identifier_type, identifier_value
),

flagged as (
    select
        links.identifier_type_a,
        links.identifier_value_a,
        links.identifier_type_b,
        links.identifier_value_b,
        links.link_source,
        coalesce(
            greatest(end_a.neighbour_count, end_b.neighbour_count)
            > {{ var('identity_max_links_per_identifier') }},
            false
        ) as is_hub_link,
        links.linked_at
    from links
    left join neighbour_counts as end_a
        on links.identifier_type_a = end_a.identifier_type
        and links.identifier_value_a = end_a.identifier_value
    left join neighbour_counts as end_b
        on links.identifier_type_b = end_b.identifier_type
        and links.identifier_value_b = end_b.identifier_value
),

-- customer success's always_same rows: links no evidence shows
override_links as (
    select
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        'seed:identity_overrides.csv' as link_source,
        false as is_hub_link,
        cast(requested_on as timestamp) as linked_at
    from overrides
    where entity = 'person' and rule = 'always_same'
),

-- an override replaces an evidence link of the same pair (it always merges)
final as (
    select * from flagged
    where not exists (
            select 1
            from override_links
            where override_links.identifier_type_a = flagged.identifier_type_a
                and override_links.identifier_value_a = flagged.identifier_value_a
                and override_links.identifier_type_b = flagged.identifier_type_b
                and override_links.identifier_value_b = flagged.identifier_value_b
        )
    union all
    select * from override_links
)

select * from final
