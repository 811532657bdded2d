{#-
    One row per resolved company attribute change: (company_key, attribute,
    changed_at), with the value before and after, and the source and model
    of the winning observation. Observations reach their company through
    int_company_identifiers (the surviving key), so a merged company's
    history combines all its ids.
-#}
with

observations as (
    select * from {{ ref('int_company_attribute_observations') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

keyed_observations as (
    select
        identifiers.company_key as entity_key,
        observations.identifier_value,
        observations.attribute,
        observations.attribute_value,
        observations.observed_at,
        observations.source,
        observations.source_precedence,
        observations.source_model
    from observations
    inner join identifiers
        on observations.identifier_type = identifiers.identifier_type
        and observations.identifier_value = identifiers.identifier_value
    -- plan resolves in int_company_plan_changes (billing first, group
    -- traits as the fallback), with its plan_source
    where observations.attribute <> 'plan'
),

{{ resolve_attribute_changes('keyed_observations') }},

final as (
    select
        -- ids
        entity_key as company_key,
        -- strings
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        -- timestamps (UTC)
        changed_at
    from resolved_changes
)

select * from final
