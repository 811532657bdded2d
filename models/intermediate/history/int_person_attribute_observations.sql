{#-
    One row per observed value of a person attribute: the natural id the
    source knows the person by, the attribute, its value as text and the
    SOURCE's change time (observed_at). Precedence per attribute: crm (1) >
    events (3); see the doc block `person_attribute_precedence`. Company
    membership is added later, from int_person_company_memberships.
-#}
{%- set crm_attributes = person_attribute_sources('crm') -%}
{%- set event_attributes = person_attribute_sources('events') -%}

with

crm_contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

full_extracts as (
    select extract_date
    from partitions
    where system = 'crm' and table_name = 'contacts'
        and status = 'complete' and load_mode = 'full'
),

-- CRM: every attribute of every contact version, at its SystemModstamp
-- (nulls included: a cleared field is a change).
crm_observations as (
    {% for attribute, expression in crm_attributes %}
        select
            'crm_contact_id' as identifier_type,
            contact_id as identifier_value,
            '{{ attribute }}' as attribute,
            cast({{ expression }} as varchar) as attribute_value,
            system_modified_at as observed_at
        from crm_contact_versions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- A hard delete is seen at the first complete full extract after the
-- contact's last appearance.
crm_hard_deletes as (
    select
        'crm_contact_id' as identifier_type,
        crm_contacts.contact_id as identifier_value,
        'is_deleted' as attribute,
        'true' as attribute_value,
        cast(min(full_extracts.extract_date) as timestamp) as observed_at
    from crm_contacts
    inner join full_extracts
        on full_extracts.extract_date > crm_contacts.last_extract_date
    where crm_contacts.is_hard_deleted
    group by crm_contacts.contact_id
),

-- Events: identify calls carry partial traits; an absent trait says
-- nothing. Only consented messages are read (stg_events__messages_consented).
identify_calls as (
    select
        case
            when user_id is not null then 'user_id' else 'anonymous_id'
        end as identifier_type,
        coalesce(user_id, anonymous_id) as identifier_value,
        occurred_at,
        message_id,
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
            occurred_at,
            message_id,
            '{{ attribute }}' as attribute,
            cast({{ expression }} as varchar) as attribute_value
        from identify_calls
        where {{ expression }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Repeated traits are no news: keep a value where it differs from the
-- previous call for the same id (ties on occurred_at: by message id).
event_changes as (
    select
        identifier_type,
        identifier_value,
        attribute,
        attribute_value,
        occurred_at as observed_at,
        lag(attribute_value) over (
            partition by identifier_type, identifier_value, attribute
            order by occurred_at, message_id
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
        'stg_crm__contacts_versions' as source_model
    from crm_observations
    union all
    select
        *,
        'crm' as source,
        1 as source_precedence,
        'stg_crm__contacts' as source_model
    from crm_hard_deletes
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
