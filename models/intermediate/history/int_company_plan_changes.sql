{#-
    One row per change of a company's plan or of where it came from, in the
    shape of int_company_attribute_changes (attributes `plan` and
    `plan_source`), so dim_companies_history versions and
    fct_attribute_changes log them like any attribute. Billing decides from
    the start of the company's first subscription plan window: at each
    instant the highest-ranked plan (seed plans) among the windows open then
    (int_subscription_plan_windows, dated by Stripe's own times). Before
    that, and for a company billing never showed a plan for, app group
    traits (`traits.plan`) are the fallback. When every window has closed,
    the plan is null (source billing) until the app reports a new plan
    after that instant. See the company_plan doc.
-#}
with

windows as (
    select * from {{ ref('int_subscription_plan_windows') }}
),

plans as (
    select * from {{ ref('stg_seeds__plans') }}
),

observations as (
    select * from {{ ref('int_company_attribute_observations') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

company_windows as (
    select
        windows.company_key,
        windows.subscription_id,
        windows.plan,
        coalesce(plans.plan_rank, 0) as plan_rank,
        windows.valid_from,
        windows.valid_to
    from windows
    left join plans on windows.plan = plans.plan
    where windows.company_key is not null
        and windows.plan is not null
        and (windows.valid_to is null or windows.valid_to > windows.valid_from)
),

-- every instant a window of the company opens or closes
billing_points as (
    select
        company_key,
        valid_from as point_at
    from company_windows
    union
    select
        company_key,
        valid_to as point_at
    from company_windows
    where valid_to is not null
),

-- the plan at each instant: the highest-ranked open window (ties: the
-- later-started one, then the plan); none open: no plan
billing_plans as (
    select
        billing_points.company_key,
        billing_points.point_at,
        company_windows.plan
    from billing_points
    left join company_windows
        on billing_points.company_key = company_windows.company_key
        and company_windows.valid_from <= billing_points.point_at
        and (company_windows.valid_to is null or billing_points.point_at < company_windows.valid_to)
    qualify row_number() over (
            partition by billing_points.company_key, billing_points.point_at
            order by
                company_windows.plan_rank desc nulls last,
                company_windows.valid_from desc,
                company_windows.plan
        ) = 1
),

-- plan and source resolve together (like time zones). Three timelines:
-- billing's open plan (1) wins whenever one is open; the app's traits (2)
-- fill in otherwise; where every window has closed, billing's "no plan"
-- (3, plan null, source billing) holds until the app reports a new plan
-- after that instant (its earlier traits are reset there: they are stale)
billing_observations as (
    select
        company_key as entity_key,
        company_key as identifier_value,
        'plan' as attribute,
        case when plan is not null then plan || '|billing' end as attribute_value,
        point_at as observed_at,
        'billing' as source,
        1 as source_precedence,
        'int_subscription_plan_windows' as source_model
    from billing_plans
),

billing_ended_observations as (
    select
        company_key as entity_key,
        company_key as identifier_value,
        'plan' as attribute,
        '|billing' as attribute_value,
        point_at as observed_at,
        'billing' as source,
        3 as source_precedence,
        'int_subscription_plan_windows' as source_model
    from billing_plans
    where plan is null
),

event_resets as (
    select
        company_key as entity_key,
        company_key as identifier_value,
        'plan' as attribute,
        cast(null as varchar) as attribute_value,
        point_at as observed_at,
        'events' as source,
        2 as source_precedence,
        'int_subscription_plan_windows' as source_model
    from billing_plans
    where plan is null
),

event_observations as (
    select
        identifiers.company_key as entity_key,
        observations.identifier_value,
        'plan' as attribute,
        observations.attribute_value || '|events' as attribute_value,
        observations.observed_at,
        observations.source,
        2 as source_precedence,
        observations.source_model
    from observations
    inner join identifiers
        on observations.identifier_type = identifiers.identifier_type
        and observations.identifier_value = identifiers.identifier_value
    where observations.attribute = 'plan'
        and observations.source = 'events'
        and observations.attribute_value is not null
),

keyed_observations as (
    select * from billing_observations
    union all
    select * from billing_ended_observations
    union all
    select * from event_resets
    union all
    select * from event_observations
),

{{ resolve_attribute_changes('keyed_observations') }},

split as (
    select
        entity_key as company_key,
        nullif(split_part(old_value, '|', 1), '') as old_plan,
        nullif(split_part(new_value, '|', 1), '') as new_plan,
        nullif(split_part(old_value, '|', 2), '') as old_plan_source,
        nullif(split_part(new_value, '|', 2), '') as new_plan_source,
        source,
        source_model,
        changed_at
    from resolved_changes
),

plan_changes as (
    select
        company_key,
        'plan' as attribute,
        old_plan as old_value,
        new_plan as new_value,
        source,
        source_model,
        changed_at
    from split
    where old_plan is distinct from new_plan
),

source_changes as (
    select
        company_key,
        'plan_source' as attribute,
        old_plan_source as old_value,
        new_plan_source as new_value,
        source,
        source_model,
        changed_at
    from split
    where old_plan_source is distinct from new_plan_source
),

unioned as (
    select * from plan_changes
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
