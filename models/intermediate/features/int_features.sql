{#-
    One row per feature code the project knows: every feature of the plan
    entitlements seed and of the event dictionary seed, with the plans that
    include it and the events that are use of it. A feature seen anywhere
    else (an override, a toggle, an event's properties.feature) and not
    here is unknown: it still flows through, and ops.data_issues names it.
-#}
with

entitlements as (
    select distinct
        lower(trim(plan)) as plan,
        lower(trim(feature)) as feature
    from {{ ref('stg_seeds__plan_entitlements') }}
    where nullif(trim(feature), '') is not null
        and nullif(trim(plan), '') is not null
),

dictionary as (
    select
        event_name,
        feature
    from {{ ref('int_event_dictionary') }}
    where feature is not null
),

features as (
    select feature from entitlements
    union
    select feature from dictionary
),

plans_by_feature as (
    select
        feature,
        {{ dbt.listagg('plan', "', '", 'order by plan') }} as plans
    from entitlements
    group by feature
),

events_by_feature as (
    select
        feature,
        {{ dbt.listagg('event_name', "', '", 'order by event_name') }} as event_names
    from dictionary
    group by feature
),

final as (
    select
        features.feature,
        plans_by_feature.plans,
        events_by_feature.event_names,
        plans_by_feature.feature is not null as is_in_plan_entitlements,
        events_by_feature.feature is not null as is_in_event_dictionary
    from features
    left join plans_by_feature on features.feature = plans_by_feature.feature
    left join events_by_feature on features.feature = events_by_feature.feature
)

select * from final
