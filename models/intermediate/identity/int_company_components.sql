{#-
    One row per company identifier: the connected component of the
    identifier links it falls in, the component's anchor (its earliest-seen
    identifier by first_seen_at, then type priority crm_account_id <
    app_account_id < billing_customer_id, then value) and the candidate key
    hashed from the anchor. The registry turns candidates into issued keys.
-#}
with

crm_account_versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

billing_customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

links as (
    select * from {{ ref('int_company_identifier_links') }}
),

overrides as (
    select * from {{ ref('stg_seeds__identity_overrides') }}
),

sightings as (
    select
        'crm_account_id' as identifier_type,
        account_id as identifier_value,
        coalesce(created_at, system_modified_at) as seen_at
    from crm_account_versions
    union all
    select
        'app_account_id' as identifier_type,
        app_account_id as identifier_value,
        system_modified_at as seen_at
    from crm_account_versions
    where app_account_id is not null
    union all
    select
        'billing_customer_id' as identifier_type,
        customer_id as identifier_value,
        coalesce(created_at, cast(extract_date as timestamp)) as seen_at
    from billing_customers_daily
    union all
    select
        'crm_account_id' as identifier_type,
        crm_account_id as identifier_value,
        cast(extract_date as timestamp) as seen_at
    from billing_customers_daily
    where crm_account_id is not null
    union all
    select
        'app_account_id' as identifier_type,
        app_account_id as identifier_value,
        cast(extract_date as timestamp) as seen_at
    from billing_customers_daily
    where app_account_id is not null
    union all
    select
        'app_account_id' as identifier_type,
        group_id as identifier_value,
        occurred_at as seen_at
    from messages
    where message_type = 'group' and group_id is not null
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        identifier_type || '|' || identifier_value as node,
        case identifier_type
            when 'crm_account_id' then 1
            when 'app_account_id' then 2
            else 3
        end as type_priority,
        min(seen_at) as first_seen_at
    from sightings
    group by identifier_type, identifier_value
),

-- customer success's never_same rows: b is detached from a
never_same_pairs as (
    select
        identifier_type_a || '|' || identifier_value_a as node_a,
        identifier_type_b || '|' || identifier_value_b as node_b
    from overrides
    where entity = 'company' and rule = 'never_same'
),

{{ identity_components('company', 'co_') }}
