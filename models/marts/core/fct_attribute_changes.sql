{#-
    The transaction log: one row per resolved attribute change of a company
    or a person (entity, entity_key, attribute, changed_at): the value
    before (null for an attribute's first value) and after, the source that
    supplied it, the model it was derived from (process) and the run that
    recorded it.
-#}
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
),

final as (
    select
        -- ids
        cast(entity_key as varchar) as entity_key,
        -- strings
        cast(entity as varchar) as entity,
        cast(attribute as varchar) as attribute,
        cast(old_value as varchar) as old_value,
        cast(new_value as varchar) as new_value,
        cast(source as varchar) as source,
        cast(source_model as varchar) as process,
        -- timestamps (UTC)
        cast(changed_at as timestamp) as changed_at,
        {{ customer360.run_started_at_utc() }} as recorded_at
    from unioned
)

select * from final
