{#-
    One row per change of a company's resolved time zone or of where it
    came from, in the shape of int_company_attribute_changes (attributes
    `timezone` and `timezone_source`), so dim_companies_history versions and
    fct_attribute_changes logs them like any attribute. Resolution: at each
    instant, the value of the highest-precedence timeline that has one
    (int_company_timezone_observations); the default timeline makes that
    never null.
-#}
with

observations as (
    select * from {{ ref('int_company_timezone_observations') }}
),

-- zone and source resolve together, so that a change of source alone (the
-- CRM now states the zone we had inferred) is a change too
keyed_observations as (
    select
        company_key as entity_key,
        identifier_value,
        'timezone' as attribute,
        case when timezone is not null then timezone || '|' || timezone_source end
            as attribute_value,
        observed_at,
        source,
        source_precedence,
        source_model
    from observations
),

{{ resolve_attribute_changes('keyed_observations') }},

split as (
    select
        entity_key as company_key,
        split_part(old_value, '|', 1) as old_timezone,
        split_part(new_value, '|', 1) as new_timezone,
        split_part(old_value, '|', 2) as old_timezone_source,
        split_part(new_value, '|', 2) as new_timezone_source,
        source,
        source_model,
        changed_at
    from resolved_changes
),

timezone_changes as (
    select
        company_key,
        'timezone' as attribute,
        nullif(old_timezone, '') as old_value,
        new_timezone as new_value,
        source,
        source_model,
        changed_at
    from split
    where old_timezone is distinct from new_timezone
),

source_changes as (
    select
        company_key,
        'timezone_source' as attribute,
        nullif(old_timezone_source, '') as old_value,
        new_timezone_source as new_value,
        source,
        source_model,
        changed_at
    from split
    where old_timezone_source is distinct from new_timezone_source
),

unioned as (
    select * from timezone_changes
    union all
    select * from source_changes
),

final as (
    select
        -- ids
        company_key,
        -- strings
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        -- timestamps (UTC)
        changed_at
    from unioned
)

select * from final
