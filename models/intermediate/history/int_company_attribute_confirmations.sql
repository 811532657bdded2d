{#-
    One row per company, freshness attribute, value and source: the latest
    time the source asserted that value (last_asserted_at, data time) and how
    often. Unlike int_company_attribute_observations, which keeps only
    changes, every assertion counts here: each CRM account version, each
    daily billing extract, each group call carrying the trait. Data decay
    (rpt_data_staleness) reads it for "last confirmed". Attributes: macro
    freshness_attributes('company').
-#}
{%- set tracked = freshness_attributes('company') -%}
{%- set crm_attributes = company_attribute_sources('crm')
    | selectattr(0, 'in', tracked) | list -%}
{%- set billing_attributes = company_attribute_sources('billing')
    | selectattr(0, 'in', tracked) | list -%}
{%- set event_attributes = company_attribute_sources('events')
    | selectattr(0, 'in', tracked) | list -%}
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

identifiers as (
    select
        identifier_type,
        identifier_value,
        company_key
    from {{ ref('int_company_identifiers') }}
),

-- noqa: disable=LT02
crm_values as (
    {% for attribute, column in crm_attributes %}
        select
            'crm_account_id' as identifier_type,
            account_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value,
            system_modified_at as asserted_at
        from crm_account_versions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

billing_values as (
    {% for attribute, column in billing_attributes %}
        select
            'billing_customer_id' as identifier_type,
            customer_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value,
            cast(extract_date as timestamp) as asserted_at
        from billing_customers_daily
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

group_calls as (
    select
        group_id,
        occurred_at,
        {{ event_attributes | map(attribute=1) | join(', ') }}
    from messages
    where message_type = 'group'
        and group_id is not null
),

event_values as (
    {% for attribute, column in event_attributes %}
        select
            'app_account_id' as identifier_type,
            group_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ column }} as varchar) as attribute_value,
            occurred_at as asserted_at
        from group_calls
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),
-- noqa: enable=LT02

assertions as (
    select
        *,
        'crm' as source
    from crm_values
    union all
    select
        *,
        'billing' as source
    from billing_values
    union all
    select
        *,
        'events' as source
    from event_values
),

keyed as (
    select
        identifiers.company_key,
        assertions.attribute,
        assertions.attribute_value,
        assertions.source,
        assertions.asserted_at
    from assertions
    inner join identifiers
        on assertions.identifier_type = identifiers.identifier_type
        and assertions.identifier_value = identifiers.identifier_value
    where assertions.attribute_value is not null
),

final as (
    select
        -- keys
        company_key,
        -- strings
        attribute,
        attribute_value,
        source,
        -- numerics
        count(*) as assertion_count,
        -- timestamps (UTC)
        max(asserted_at) as last_asserted_at
    from keyed
    group by company_key, attribute, attribute_value, source
)

select * from final
