{#-
    One row per company and company-local day with any activity (the grain
    of marts.fct_company_activity_daily, which it extends): the four usage
    dimensions side by side - frequency (events, active people), features
    (which features were used), volumetrics (how much: feature use, key
    events, the deployment's front-end clients) and configuration (the
    deployment as last reported by Telemetry Reported: version, servers,
    instances, apps). See the usage_dimensions doc.
-#}
with

activity as (
    select
        company_key,
        local_date,
        event_count,
        active_people
    from {{ ref('fct_company_activity_daily') }}
),

feature_days as (
    select
        company_key,
        local_date,
        feature,
        event_count,
        key_event_count,
        events_without_access
    from {{ ref('fct_feature_usage_daily') }}
),

telemetry as (
    select
        company_key,
        local_date,
        product_version,
        server_count,
        instance_count,
        app_count,
        frontend_client_count,
        occurred_at,
        message_id
    from {{ ref('int_events_attributed') }}
    where message_type = 'track'
        and event_name = 'Telemetry Reported'
        and company_key is not null
),

features_used as (
    select
        company_key,
        local_date,
        count(*) as features_used,
        {{ dbt.listagg('feature', "', '", 'order by feature') }} as features_used_list,
        sum(event_count) as feature_event_count,
        sum(key_event_count) as key_event_count,
        sum(case when events_without_access > 0 then 1 else 0 end) as features_used_without_access
    from feature_days
    group by company_key, local_date
),

-- the day's last report (several a day: the latest wins)
telemetry_days as (
    select
        company_key,
        local_date,
        product_version,
        server_count,
        instance_count,
        app_count,
        frontend_client_count
    from telemetry
    qualify row_number() over (
            partition by company_key, local_date
            order by occurred_at desc, message_id desc
        ) = 1
),

company_days as (
    select
        company_key,
        local_date
    from activity
    union
    select
        company_key,
        local_date
    from telemetry_days
),

-- configuration is a state: each day carries the latest report up to it
configuration_groups as (
    select
        company_days.company_key,
        company_days.local_date,
        telemetry_days.local_date as reported_local_date,
        telemetry_days.product_version,
        telemetry_days.server_count,
        telemetry_days.instance_count,
        telemetry_days.app_count,
        telemetry_days.frontend_client_count,
        count(telemetry_days.local_date) over (
            partition by company_days.company_key
            order by company_days.local_date
            rows between unbounded preceding and current row
        ) as report_number
    from company_days
    left join telemetry_days
        on company_days.company_key = telemetry_days.company_key
        and company_days.local_date = telemetry_days.local_date
),

configuration as (
    select
        company_key,
        local_date,
        max(reported_local_date) over (partition by company_key, report_number)
            as configuration_reported_date,
        max(product_version) over (partition by company_key, report_number) as product_version,
        max(server_count) over (partition by company_key, report_number) as server_count,
        max(instance_count) over (partition by company_key, report_number) as instance_count,
        max(app_count) over (partition by company_key, report_number) as app_count,
        max(frontend_client_count) over (partition by company_key, report_number)
            as frontend_client_count
    from configuration_groups
),

final as (
    select
        -- keys
        cast(activity.company_key as varchar) as company_key,
        -- strings
        cast(features_used.features_used_list as varchar) as features_used_list,
        cast(configuration.product_version as varchar) as product_version,
        -- numerics: frequency
        cast(activity.event_count as bigint) as event_count,
        cast(activity.active_people as bigint) as active_people,
        -- numerics: features
        cast(coalesce(features_used.features_used, 0) as bigint) as features_used,
        cast(coalesce(features_used.features_used_without_access, 0) as bigint)
            as features_used_without_access,
        -- numerics: volumetrics
        cast(coalesce(features_used.feature_event_count, 0) as bigint) as feature_event_count,
        cast(coalesce(features_used.key_event_count, 0) as bigint) as key_event_count,
        cast(configuration.frontend_client_count as bigint) as frontend_client_count,
        -- numerics: configuration
        cast(configuration.server_count as bigint) as server_count,
        cast(configuration.instance_count as bigint) as instance_count,
        cast(configuration.app_count as bigint) as app_count,
        -- dates
        cast(activity.local_date as date) as local_date,
        cast(configuration.configuration_reported_date as date) as configuration_reported_date
    from activity
    left join features_used
        on activity.company_key = features_used.company_key
        and activity.local_date = features_used.local_date
    left join configuration
        on activity.company_key = configuration.company_key
        and activity.local_date = configuration.local_date
)

select * from final
