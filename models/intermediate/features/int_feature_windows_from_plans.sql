{#-
    One row per subscription plan window and feature the plan includes
    (plan_entitlements seed): the company may use the feature in
    [valid_from, valid_to) because of that plan. Windows of one company and
    feature may overlap or touch (several subscriptions, a plan change dated
    between two extracts); fct_feature_access_windows merges them. A plan
    with no row in the seed grants nothing and is reported in ops.data_issues;
    subscriptions of a customer no company owns (company_key null) are
    reported there too and left out here.
-#}
with

plan_windows as (
    select
        company_key,
        subscription_id,
        plan,
        valid_from,
        valid_to
    from {{ ref('int_subscription_plan_windows') }}
    where company_key is not null
),

entitlements as (
    select distinct
        lower(trim(plan)) as plan,
        lower(trim(feature)) as feature
    from {{ ref('stg_seeds__plan_entitlements') }}
    where nullif(trim(feature), '') is not null
),

final as (
    select
        -- keys
        plan_windows.company_key,
        entitlements.feature,
        -- ids
        plan_windows.subscription_id,
        -- strings
        plan_windows.plan,
        -- timestamps (UTC)
        plan_windows.valid_from,
        plan_windows.valid_to
    from plan_windows
    inner join entitlements on plan_windows.plan = entitlements.plan
)

select * from final
