{#-
    One row per person, freshness attribute, value and source: the latest
    time the source asserted that value (last_asserted_at, data time) and how
    often. Every assertion counts: each CRM contact version, each identify
    call carrying the trait (consented messages only), where
    int_person_attribute_observations keeps only changes. Data decay
    (rpt_data_staleness) reads it for "last confirmed". Attributes: macro
    freshness_attributes('person').
-#}
{%- set tracked = freshness_attributes('person') -%}
{%- set crm_attributes = person_attribute_sources('crm')
    | selectattr(0, 'in', tracked) | list -%}
{%- set event_attributes = person_attribute_sources('events')
    | selectattr(0, 'in', tracked) | list -%}
with

crm_contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
),

-- noqa: disable=LT02
crm_values as (
    {% for attribute, expression in crm_attributes %}
        select
            'crm_contact_id' as identifier_type,
            contact_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ expression }} as varchar) as attribute_value,
            system_modified_at as asserted_at
        from crm_contact_versions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

identify_calls as (
    select
        case
            when user_id is not null then 'user_id' else 'anonymous_id'
        end as identifier_type,
        coalesce(user_id, anonymous_id) as identifier_value,
        occurred_at,
        trait_email,
        trait_name,
        trait_title
    from messages
    where message_type = 'identify'
        and coalesce(user_id, anonymous_id) is not null
),

event_values as (
    {% for attribute, expression in event_attributes %}
        select
            identifier_type,
            identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ expression }} as varchar) as attribute_value,
            occurred_at as asserted_at
        from identify_calls
        where {{ expression }} is not null
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
        'events' as source
    from event_values
),

keyed as (
    select
        identifiers.person_key,
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
        person_key,
        -- strings
        attribute,
        attribute_value,
        source,
        -- numerics
        count(*) as assertion_count,
        -- timestamps (UTC)
        max(asserted_at) as last_asserted_at
    from keyed
    group by person_key, attribute, attribute_value, source
)

select * from final
