{#-
    One row per company and feature the company ever had access to or used:
    when access started, first and last use (company-local days), how fast
    it was adopted, how active it is, its adoption state as of a date, and
    the mismatches between access and use. As of var('feature_adoption_as_of')
    (default: the latest local date with events). See the feature_adoption doc.
-#}
{%- set window_days = var('feature_adoption_window_days') | int %}
{%- set churn_days = var('feature_churn_days') | int %}
{%- set min_active_days = var('feature_adopted_min_active_days') | int %}
{%- set as_of = var('feature_adoption_as_of') %}
with

usage_days as (
    select
        company_key,
        feature,
        local_date,
        event_count,
        events_without_access,
        first_used_at,
        first_used_with_access_at,
        last_used_at
    from {{ ref('fct_feature_usage_daily') }}
),

windows as (
    select
        company_key,
        feature,
        access_from,
        access_to
    from {{ ref('fct_feature_access_windows') }}
),

timezones as (
    select
        company_key,
        timezone,
        is_first,
        valid_from,
        valid_to
    from {{ ref('int_company_timezones') }}
),

-- what the events cover: use before observed_from cannot be seen
observation as (
    select
        min(occurred_at) as observed_from,
        {% if as_of -%}
        cast('{{ as_of }}' as date) as as_of_date
        {%- else -%}
            max(local_date) as as_of_date
        {%- endif %}
    from {{ ref('int_events_attributed') }}
),

-- the end of the as-of day (UTC midnight after it: one instant for all
-- companies, whatever their zone)
bounds as (
    select
        observed_from,
        as_of_date,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as timestamp) as as_of_end_at,
        cast({{ dbt.dateadd('day', 1 - window_days, 'as_of_date') }} as date) as window_start_date,
        cast({{ dbt.dateadd('day', 1 - churn_days, 'as_of_date') }} as date) as churn_start_date
    from observation
),

known_windows as (
    select windows.*
    from windows
    cross join bounds
    where windows.access_from < bounds.as_of_end_at
),

known_usage as (
    select usage_days.*
    from usage_days
    cross join bounds
    where usage_days.local_date <= bounds.as_of_date
),

access as (
    select
        known_windows.company_key,
        known_windows.feature,
        min(known_windows.access_from) as access_started_at,
        count(*) as access_window_count,
        {{ dbt.bool_or(
            'known_windows.access_to is null or known_windows.access_to > bounds.as_of_end_at'
        ) }} as has_access_at_as_of,
        -- days with access inside what the events cover
        sum(
            greatest(
                {{ dbt.datediff(
                    'greatest(known_windows.access_from, bounds.observed_from)',
                    'least(coalesce(known_windows.access_to, bounds.as_of_end_at), bounds.as_of_end_at)',
                    'second'
                ) }},
                0
            )
        ) / 86400.0 as observed_access_days
    from known_windows
    cross join bounds
    group by known_windows.company_key, known_windows.feature
),

usage as (
    select
        known_usage.company_key,
        known_usage.feature,
        min(known_usage.first_used_at) as first_used_at,
        min(known_usage.first_used_with_access_at) as first_used_with_access_at,
        max(known_usage.last_used_at) as last_used_at,
        min(known_usage.local_date) as first_use_local_date,
        min(
            case
                when known_usage.first_used_with_access_at is not null
                    then known_usage.local_date
            end
        ) as first_use_with_access_local_date,
        max(known_usage.local_date) as last_use_local_date,
        sum(known_usage.event_count) as event_count,
        sum(known_usage.events_without_access) as events_without_access,
        count(*) as active_days,
        sum(case when known_usage.local_date >= bounds.window_start_date then 1 else 0 end)
            as active_days_in_window,
        sum(case when known_usage.events_without_access > 0 then 1 else 0 end)
            as days_used_without_access
    from known_usage
    cross join bounds
    group by known_usage.company_key, known_usage.feature
),

pairs as (
    select
        company_key,
        feature
    from access
    union
    select
        company_key,
        feature
    from usage
),

joined as (
    select
        pairs.company_key,
        pairs.feature,
        access.access_started_at,
        coalesce(access.access_window_count, 0) as access_window_count,
        coalesce(access.has_access_at_as_of, false) as has_access_at_as_of,
        coalesce(access.observed_access_days, 0) as observed_access_days,
        usage.first_used_at,
        usage.first_used_with_access_at,
        usage.last_used_at,
        usage.first_use_local_date,
        usage.first_use_with_access_local_date,
        usage.last_use_local_date,
        coalesce(usage.event_count, 0) as event_count,
        coalesce(usage.events_without_access, 0) as events_without_access,
        coalesce(usage.active_days, 0) as active_days,
        coalesce(usage.active_days_in_window, 0) as active_days_in_window,
        coalesce(usage.days_used_without_access, 0) as days_used_without_access,
        bounds.observed_from,
        bounds.as_of_date,
        bounds.churn_start_date
    from pairs
    cross join bounds
    left join access
        on pairs.company_key = access.company_key
        and pairs.feature = access.feature
    left join usage
        on pairs.company_key = usage.company_key
        and pairs.feature = usage.feature
),

-- access start on the company's calendar (its zone as of that instant)
localized as (
    select
        joined.*,
        cast(
            {{ utc_to_local('joined.access_started_at', "coalesce(timezones.timezone, 'UTC')") }}
            as date
        ) as access_start_local_date
    from joined
    left join timezones
        on joined.company_key = timezones.company_key
        and {{ company_timezone_at('timezones', 'joined.access_started_at') }}
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        cast(feature as varchar) as feature,
        -- strings
        cast(
            case
                when first_used_at is null then 'not_started'
                when last_use_local_date < churn_start_date and has_access_at_as_of
                    then 'churned'
                when last_use_local_date < churn_start_date then 'lapsed'
                when active_days_in_window >= {{ min_active_days }} then 'adopted'
                else 'adopting'
            end as varchar
        ) as adoption_state,
        -- numerics
        cast(access_window_count as bigint) as access_window_count,
        cast(round(observed_access_days, 2) as double) as observed_access_days,
        -- whole local days from access start to the first use with access;
        -- null when access began before the events we have (first use unknown)
        cast(
            case
                when access_started_at >= observed_from and first_used_with_access_at is not null
                    then {{ dbt.datediff(
                        'access_start_local_date', 'first_use_with_access_local_date', 'day'
                    ) }}
            end as bigint
        ) as days_to_first_use,
        cast(event_count as bigint) as event_count,
        cast(active_days as bigint) as active_days,
        cast(active_days_in_window as bigint) as active_days_in_window,
        cast(events_without_access as bigint) as events_without_access,
        cast(days_used_without_access as bigint) as days_used_without_access,
        -- booleans
        cast(has_access_at_as_of as boolean) as has_access_at_as_of,
        cast(events_without_access > 0 as boolean) as is_used_without_access,
        cast(
            observed_access_days > 0 and first_used_with_access_at is null as boolean
        ) as is_access_never_used,
        -- dates
        cast(access_start_local_date as date) as access_start_local_date,
        cast(first_use_local_date as date) as first_use_local_date,
        cast(last_use_local_date as date) as last_use_local_date,
        cast(as_of_date as date) as as_of_date,
        -- timestamps (UTC)
        cast(access_started_at as timestamp) as access_started_at,
        cast(first_used_at as timestamp) as first_used_at,
        cast(first_used_with_access_at as timestamp) as first_used_with_access_at,
        cast(last_used_at as timestamp) as last_used_at
    from localized
)

select * from final
