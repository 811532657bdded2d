{#-
    One row per observed value of a company attribute: the natural id the
    source knows the company by, the attribute, its value as text and the
    SOURCE's change time (observed_at), never the load time. Precedence per
    attribute: crm (1) > billing (2) > events (3); see the doc block
    `company_attribute_precedence`.
-#}
{%- set crm_attributes = company_attribute_sources('crm') -%}
{#- company_name from billing: Stripe's name, so a company known only from
    billing has a name (CRM's wins where there is one). -#}
{%- set billing_attributes = company_attribute_sources('billing') -%}
{%- set event_attributes = company_attribute_sources('events') -%}

with

crm_account_versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

billing_customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

billing_customers as (
    select * from {{ ref('stg_billing__customers') }}
),

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

full_extracts as (
    select
        system,
        table_name,
        extract_date
    from partitions
    where status = 'complete' and load_mode = 'full'
),

-- CRM: every attribute of every account version, at its SystemModstamp
-- (nulls included: a cleared field is a change).
crm_observations as (
    {% for attribute, column in crm_attributes %}
        select
            'crm_account_id' as identifier_type,
            account_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value,
            system_modified_at as observed_at
        from crm_account_versions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- A hard delete is seen at the first complete full extract after the
-- account's last appearance.
crm_hard_deletes as (
    select
        'crm_account_id' as identifier_type,
        crm_accounts.account_id as identifier_value,
        'is_deleted' as attribute,
        'true' as attribute_value,
        cast(min(full_extracts.extract_date) as timestamp) as observed_at
    from crm_accounts
    inner join full_extracts
        on full_extracts.system = 'crm'
        and full_extracts.table_name = 'accounts'
        and full_extracts.extract_date > crm_accounts.last_extract_date
    where crm_accounts.is_hard_deleted
    group by crm_accounts.account_id
),

-- Billing: the daily full extracts restate every customer every day; keep
-- a value only on the first extract and where it differs from the
-- previous extract's.
billing_values as (
    {% for attribute, column in billing_attributes %}
        select
            customer_id,
            extract_date,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value
        from billing_customers_daily
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

billing_changes as (
    select
        'billing_customer_id' as identifier_type,
        customer_id as identifier_value,
        attribute,
        attribute_value,
        cast(extract_date as timestamp) as observed_at,
        lag(attribute_value) over (
            partition by customer_id, attribute order by extract_date
        ) as previous_value,
        row_number() over (
            partition by customer_id, attribute order by extract_date
        ) as extract_number
    from billing_values
),

billing_observations as (
    select
        identifier_type,
        identifier_value,
        attribute,
        attribute_value,
        observed_at
    from billing_changes
    where extract_number = 1
        or attribute_value is distinct from previous_value
),

billing_hard_deletes as (
    select
        'billing_customer_id' as identifier_type,
        billing_customers.customer_id as identifier_value,
        'is_deleted' as attribute,
        'true' as attribute_value,
        cast(min(full_extracts.extract_date) as timestamp) as observed_at
    from billing_customers
    inner join full_extracts
        on full_extracts.system = 'billing'
        and full_extracts.table_name = 'customers'
        and full_extracts.extract_date > billing_customers.last_extract_date
    where billing_customers.is_hard_deleted
    group by billing_customers.customer_id
),

-- Events: group calls carry partial account traits; an absent trait says
-- nothing, so only sent (non-null) traits are observations. Messages
-- without analytics consent are left out.
group_calls as (
    select
        group_id,
        occurred_at,
        message_id,
        trait_name,
        trait_plan,
        trait_employees,
        trait_industry
    from messages
    where message_type = 'group'
        and group_id is not null
        and has_analytics_consent
),

event_values as (
    {% for attribute, column in event_attributes %}
        select
            group_id,
            occurred_at,
            message_id,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value
        from group_calls
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Repeated traits are no news: keep a value where it differs from the
-- group's previous call (ties on occurred_at: by message id).
event_changes as (
    select
        'app_account_id' as identifier_type,
        group_id as identifier_value,
        attribute,
        attribute_value,
        occurred_at as observed_at,
        lag(attribute_value) over (
            partition by group_id, attribute order by occurred_at, message_id
        ) as previous_value
    from event_values
),

event_observations as (
    select
        identifier_type,
        identifier_value,
        attribute,
        attribute_value,
        observed_at
    from event_changes
    where attribute_value is distinct from previous_value
),

unioned as (
    select
        *,
        'crm' as source,
        1 as source_precedence,
        'stg_crm__accounts_versions' as source_model
    from crm_observations
    union all
    select
        *,
        'crm' as source,
        1 as source_precedence,
        'stg_crm__accounts' as source_model
    from crm_hard_deletes
    union all
    select
        *,
        'billing' as source,
        2 as source_precedence,
        'stg_billing__customers_daily' as source_model
    from billing_observations
    union all
    select
        *,
        'billing' as source,
        2 as source_precedence,
        'stg_billing__customers' as source_model
    from billing_hard_deletes
    union all
    select
        *,
        'events' as source,
        3 as source_precedence,
        'stg_events__messages' as source_model
    from event_observations
),

final as (
    select
        -- ids
        identifier_type,
        identifier_value,
        -- strings
        attribute,
        attribute_value,
        source,
        source_model,
        -- numerics
        source_precedence,
        -- timestamps (UTC)
        observed_at
    from unioned
)

select * from final
