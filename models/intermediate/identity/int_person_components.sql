{#-
    One row per person identifier that takes part in merging (user_id,
    crm_contact_id, email): its connected component, the component's anchor
    (earliest-seen identifier by first_seen_at, then type priority user_id <
    crm_contact_id < email, then value) and the candidate key hashed from
    the anchor. A requester email nothing else links to is a person too.
-#}
with

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
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

overrides as (
    select * from {{ ref('stg_seeds__identity_overrides') }}
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

-- customer success's never_same rows: b is detached from a
never_same_pairs as (
    select
        identifier_type_a || '|' || identifier_value_a as node_a,
        identifier_type_b || '|' || identifier_value_b as node_b
    from overrides
    where entity = 'person' and rule = 'never_same'
),

{{ identity_components('person', 'pe_') }}
