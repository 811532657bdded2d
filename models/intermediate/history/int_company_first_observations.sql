{#-
    One row per company: when its history begins (born_at), the earliest
    observation of any of its ids' attributes or of its plan (a
    subscription dated by Stripe's own time can start before the first
    extract), or, for a company known only by an id, when that id was first
    seen. The first version of
    dim_companies_history starts here, and derived attributes (the time
    zone) start no earlier.
-#}
with

observations as (
    select * from {{ ref('int_company_attribute_observations') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

plan_changes as (
    select
        company_key,
        changed_at
    from {{ ref('int_company_plan_changes') }}
),

first_plans as (
    select
        company_key,
        min(changed_at) as first_plan_at
    from plan_changes
    group by company_key
),

first_observations as (
    select
        identifiers.company_key,
        min(observations.observed_at) as first_observed_at
    from observations
    inner join identifiers
        on observations.identifier_type = identifiers.identifier_type
        and observations.identifier_value = identifiers.identifier_value
    group by identifiers.company_key
),

final as (
    select
        -- keys
        identifiers.company_key,
        -- timestamps (UTC)
        -- least() skips nulls: the earliest of what is known
        least(
            coalesce(
                min(first_observations.first_observed_at),
                min(identifiers.first_seen_at)
            ),
            min(first_plans.first_plan_at)
        ) as born_at
    from identifiers
    left join first_observations
        on identifiers.company_key = first_observations.company_key
    left join first_plans
        on identifiers.company_key = first_plans.company_key
    group by identifiers.company_key
)

select * from final
