{#-
    The transaction log: one row per resolved attribute change of a company
    or a person (entity, entity_key, attribute, changed_at): the value
    before (null for an attribute's first value) and after, the source that
    supplied it, the model it was derived from (process) and the run that
    first recorded it: the table rebuilds in full, but a change it already
    held with the same values keeps its recorded_at (macro
    first_recorded_at), so a run that brings nothing new changes nothing.
    Personal attributes (macro personal_attributes) log their email_hash or
    no value at all (is_value_withheld): docs/privacy.md.
-#}
{%- set identity = [
    'entity', 'entity_key', 'attribute', 'old_value', 'new_value', 'source', 'process',
    'changed_at',
] %}
with

company_attribute_changes as (
    select * from {{ ref('int_company_attribute_changes') }}
),

company_timezone_changes as (
    select * from {{ ref('int_company_timezone_changes') }}
),

company_classification_changes as (
    select * from {{ ref('int_company_classification_changes') }}
),

company_plan_changes as (
    select * from {{ ref('int_company_plan_changes') }}
),

-- derived company attributes (time zone, classification, plan) log like any other
company_changes as (
    select * from company_attribute_changes
    union all
    select * from company_timezone_changes
    union all
    select * from company_classification_changes
    union all
    select * from company_plan_changes
),

person_changes as (
    select * from {{ ref('int_person_attribute_changes') }}
),

-- identity fixes of seeds/identity_overrides.csv (merges and splits)
identity_changes as (
    select * from {{ ref('int_identity_override_changes') }}
),

unioned as (
    select
        'company' as entity,
        company_key as entity_key,
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        changed_at
    from company_changes
    union all
    select
        'person' as entity,
        person_key as entity_key,
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        changed_at
    from person_changes
    union all
    select
        entity,
        entity_key,
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        changed_at
    from identity_changes
),

typed as (
    select
        cast(entity_key as varchar) as entity_key,
        -- strings
        cast(entity as varchar) as entity,
        cast(attribute as varchar) as attribute,
        cast({{ published_attribute_value('attribute', 'old_value') }} as varchar)
            as old_value,
        cast({{ published_attribute_value('attribute', 'new_value') }} as varchar)
            as new_value,
        cast(source as varchar) as source,
        cast(source_model as varchar) as process,
        -- booleans
        {{ is_value_withheld('attribute') }} as is_value_withheld,
        -- timestamps (UTC)
        cast(changed_at as timestamp) as changed_at
    from unioned
),

final as (
    select
        -- ids
        typed.entity_key,
        -- strings
        typed.entity,
        typed.attribute,
        typed.old_value,
        typed.new_value,
        typed.source,
        typed.process,
        -- booleans
        typed.is_value_withheld,
        -- timestamps (UTC)
        typed.changed_at,
        {{ first_recorded_at('previous') }} as recorded_at
    from typed
    {{ first_recorded_join('typed', 'previous', identity) }}
)

select * from final
