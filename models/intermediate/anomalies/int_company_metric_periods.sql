{#-
    One row per company, metric, grain and period of the metrics whose
    anomalies fct_metric_anomalies looks for, except MRR (a mart's figure,
    added there): from activity (int_person_activity_daily, never the
    events) active_people, key_events and features_used, by month and by
    local-Monday week; tickets_opened (int_support_tickets_attributed) and
    nps (int_nps_responses_attributed) by month. Every day is the company's
    own local day. Counts run from the period of the company's first
    activity (or first ticket) to the as-of period and are 0 in silent
    periods; NPS has a row only for months with answers. A source's as-of
    date is its latest local day; the period holding it is incomplete unless
    it ends that day (is_complete_period false). A period of counts that
    starts before the source's first local day (where its history begins)
    is left out: it would count only part of the period. NPS, a score of
    the month's answers, keeps its first month. Doc block `anomaly_method`.
-#}
with

activity as (
    select
        company_key,
        person_key,
        feature,
        key_event_count,
        local_date
    from {{ ref('int_person_activity_daily') }}
    where company_key is not null
),

tickets as (
    select
        company_key,
        created_local_date as local_date
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
        and created_local_date is not null
),

responses as (
    select
        company_key,
        {{ nps_category('score') }} as category,
        local_date
    from {{ ref('int_nps_responses_attributed') }}
    where company_key is not null
        and score is not null
        and local_date is not null
),

calendar as (
    select
        calendar_date,
        month_start_date
    from {{ ref('int_calendar_days') }}
),

-- each source's first and last local day
histories as (
    select
        'activity' as source,
        min(local_date) as history_from_date,
        max(local_date) as as_of_date
    from activity
    union all
    select
        'tickets' as source,
        min(local_date) as history_from_date,
        max(local_date) as as_of_date
    from tickets
    union all
    select
        'nps' as source,
        min(local_date) as history_from_date,
        max(local_date) as as_of_date
    from responses
),

-- months, and weeks from Monday to Sunday
periods as (
    select
        'month' as grain,
        month_start_date as period_start,
        max(calendar_date) as period_end
    from calendar
    group by month_start_date
    union all
    select
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'calendar_date') }} as date) as period_start,
        max(calendar_date) as period_end
    from calendar
    group by cast({{ dbt.date_trunc('week', 'calendar_date') }} as date)
),

company_starts as (
    select
        company_key,
        'activity' as source,
        min(local_date) as first_date
    from activity
    group by company_key
    union all
    select
        company_key,
        'tickets' as source,
        min(local_date) as first_date
    from tickets
    group by company_key
),

-- every period of a company's counts: activity by month and week,
-- tickets by month
spine as (
    select
        company_starts.company_key,
        company_starts.source,
        periods.grain,
        periods.period_start,
        periods.period_end,
        periods.period_end <= histories.as_of_date as is_complete_period
    from company_starts
    inner join histories on company_starts.source = histories.source
    inner join periods
        on periods.period_end >= company_starts.first_date
        and periods.period_start >= histories.history_from_date
        and periods.period_start <= histories.as_of_date
        and (company_starts.source = 'activity' or periods.grain = 'month')
),

activity_in_periods as (
    select
        company_key,
        'month' as grain,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date) as period_start,
        person_key,
        feature,
        key_event_count
    from activity
    union all
    select
        company_key,
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date) as period_start,
        person_key,
        feature,
        key_event_count
    from activity
),

activity_counts as (
    select
        company_key,
        grain,
        period_start,
        count(distinct person_key) as active_people,
        sum(key_event_count) as key_events,
        count(distinct feature) as features_used
    from activity_in_periods
    group by company_key, grain, period_start
),

ticket_counts as (
    select
        company_key,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date) as period_start,
        count(*) as tickets_opened
    from tickets
    group by company_key, cast({{ dbt.date_trunc('month', 'local_date') }} as date)
),

nps_months as (
    select
        company_key,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date) as period_start,
        {{ net_promoter_score('category') }} as nps
    from responses
    group by company_key, cast({{ dbt.date_trunc('month', 'local_date') }} as date)
),

activity_filled as (
    select
        spine.company_key,
        spine.grain,
        spine.period_start,
        spine.period_end,
        spine.is_complete_period,
        coalesce(activity_counts.active_people, 0) as active_people,
        coalesce(activity_counts.key_events, 0) as key_events,
        coalesce(activity_counts.features_used, 0) as features_used
    from spine
    left join activity_counts
        on spine.company_key = activity_counts.company_key
        and spine.grain = activity_counts.grain
        and spine.period_start = activity_counts.period_start
    where spine.source = 'activity'
),

metric_values as (
    select
        company_key,
        'active_people' as metric,
        grain,
        period_start,
        period_end,
        is_complete_period,
        active_people as metric_value
    from activity_filled
    union all
    select
        company_key,
        'key_events' as metric,
        grain,
        period_start,
        period_end,
        is_complete_period,
        key_events as metric_value
    from activity_filled
    union all
    select
        company_key,
        'features_used' as metric,
        grain,
        period_start,
        period_end,
        is_complete_period,
        features_used as metric_value
    from activity_filled
    union all
    select
        spine.company_key,
        'tickets_opened' as metric,
        spine.grain,
        spine.period_start,
        spine.period_end,
        spine.is_complete_period,
        coalesce(ticket_counts.tickets_opened, 0) as metric_value
    from spine
    left join ticket_counts
        on spine.company_key = ticket_counts.company_key
        and spine.period_start = ticket_counts.period_start
    where spine.source = 'tickets'
    union all
    select
        nps_months.company_key,
        'nps' as metric,
        periods.grain,
        periods.period_start,
        periods.period_end,
        periods.period_end <= histories.as_of_date as is_complete_period,
        nps_months.nps as metric_value
    from nps_months
    inner join histories on histories.source = 'nps'
    inner join periods
        on periods.grain = 'month'
        and nps_months.period_start = periods.period_start
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        -- strings
        cast(metric as varchar) as metric,
        cast(grain as varchar) as grain,
        -- numerics
        cast(metric_value as double) as metric_value,
        -- booleans
        cast(is_complete_period as boolean) as is_complete_period,
        -- dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end
    from metric_values
)

select * from final
