{#-
    One row per person identifier that takes part in merging (user_id,
    crm_contact_id, email): its connected component, the component's anchor
    (earliest-seen identifier by first_seen_at, then type priority user_id <
    crm_contact_id < email, then value) and the candidate key hashed from
    the anchor. A requester email nothing else links to is a person too.
-#}
with

messages as (
    select * from {{ ref('stg_events__messages') }}
),

contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

billing_customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

ticket_versions as (
    select * from {{ ref('stg_support__tickets_versions') }}
),

nps_responses as (
    select * from {{ ref('stg_support__nps_responses') }}
),

links as (
    select * from {{ ref('int_person_identifier_links') }}
),

event_users as (
    select
        user_id,
        min(occurred_at) as seen_at
    from messages
    where user_id is not null
    group by user_id
),

sightings as (
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        seen_at
    from event_users
    union all
    select
        'email' as identifier_type,
        nullif(lower(trim(trait_email)), '') as identifier_value,
        occurred_at as seen_at
    from messages
    where message_type = 'identify'
    union all
    select
        'crm_contact_id' as identifier_type,
        contact_id as identifier_value,
        coalesce(created_at, system_modified_at) as seen_at
    from contact_versions
    union all
    select
        'user_id' as identifier_type,
        app_user_id as identifier_value,
        system_modified_at as seen_at
    from contact_versions
    union all
    select
        'email' as identifier_type,
        email_normalized as identifier_value,
        system_modified_at as seen_at
    from contact_versions
    union all
    select
        'email' as identifier_type,
        nullif(lower(trim(email)), '') as identifier_value,
        coalesce(created_at, cast(extract_date as timestamp)) as seen_at
    from billing_customers_daily
    union all
    select
        'email' as identifier_type,
        requester_email_normalized as identifier_value,
        created_at as seen_at
    from ticket_versions
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        submitted_at as seen_at
    from nps_responses
    union all
    select
        'email' as identifier_type,
        email_normalized as identifier_value,
        submitted_at as seen_at
    from nps_responses
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        identifier_type || '|' || identifier_value as node,
        case identifier_type
            when 'user_id' then 1
            when 'crm_contact_id' then 2
            else 3
        end as type_priority,
        min(seen_at) as first_seen_at
    from sightings
    where identifier_value is not null
    group by identifier_type, identifier_value
),

merge_links as (
    select
        identifier_type_a || '|' || identifier_value_a as node_a,
        identifier_type_b || '|' || identifier_value_b as node_b
    from links
    where not is_hub_link
),

edges as (
    select node as node_a, node as node_b from identifiers
    union all
    select node_a, node_b from merge_links
),

components as (
    {{ customer360.connected_components('edges') }}
),

with_component as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        components.component_id,
        identifiers.type_priority,
        identifiers.first_seen_at
    from identifiers
    inner join components on identifiers.node = components.node
),

anchors as (
    select
        component_id,
        identifier_type as anchor_identifier_type,
        identifier_value as anchor_identifier_value,
        first_seen_at as anchor_first_seen_at
    from with_component
    qualify row_number() over (
        partition by component_id
        order by first_seen_at asc nulls last, type_priority, identifier_value
    ) = 1
),

component_links as (
    select
        components.component_id,
        max(links.linked_at) as component_linked_at
    from links
    inner join components
        on links.identifier_type_a || '|' || links.identifier_value_a = components.node
    where not links.is_hub_link
    group by components.component_id
),

final as (
    select
        with_component.identifier_type,
        with_component.identifier_value,
        with_component.component_id,
        {{ customer360.surrogate_key(
            'pe_',
            ["'person'", 'anchors.anchor_identifier_type', 'anchors.anchor_identifier_value']
        ) }} as candidate_person_key,
        anchors.anchor_identifier_type,
        anchors.anchor_identifier_value,
        with_component.first_seen_at,
        anchors.anchor_first_seen_at,
        component_links.component_linked_at
    from with_component
    inner join anchors on with_component.component_id = anchors.component_id
    left join component_links on with_component.component_id = component_links.component_id
)

select * from final
