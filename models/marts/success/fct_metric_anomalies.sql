{#-
    One row per company, metric, grain and period: the period's value
    against a robust baseline of the company's own trailing periods, and
    whether it is an anomaly (doc block `anomaly_method`). MRR (reporting
    currency, at each month's close, from fct_mrr_monthly) by month, from
    the company's first month with MRR to the month of the latest billing
    extract, 0 in months without; the activity, ticket and NPS metrics come
    from int_company_metric_periods. The baseline is the last
    var('anomaly_baseline_periods') periods strictly before the period:
    their median, their median absolute deviation (MAD) and, for when the
    MAD is 0, their mean absolute deviation. With fewer than
    var('anomaly_min_history_periods') of them nothing is estimated.
-#}
{%- set baseline_periods = var('anomaly_baseline_periods') | int %}
{%- set min_history = var('anomaly_min_history_periods') | int %}
{%- set z_threshold = var('anomaly_z_threshold') | float %}
{%- set min_changes = var('anomaly_min_abs_change') %}
{%- set units = {
    'mrr': none,
    'active_people': 'people',
    'key_events': 'events',
    'features_used': 'features',
    'tickets_opened': 'tickets',
    'nps': 'nps',
} %}
{%- for metric in units if metric not in min_changes %}
    {{ exceptions.raise_compiler_error(
        "var('anomaly_min_abs_change') has no minimum for metric " ~ metric
    ) }}
{%- endfor %}
with

metric_periods as (
    select
        company_key,
        metric,
        grain,
        metric_value,
        is_complete_period,
        period_start,
        period_end
    from {{ ref('int_company_metric_periods') }}
),

mrr_monthly as (
    select
        company_key,
        mrr_reporting,
        month
    from {{ ref('fct_mrr_monthly') }}
),

billing as (
    select max(extract_date) as as_of_date
    from {{ ref('int_subscription_observations') }}
),

months as (
    select
        month_start_date as period_start,
        max(calendar_date) as period_end
    from {{ ref('int_calendar_days') }}
    group by month_start_date
),

-- a company's MRR in the reporting currency; null when one of its
-- currencies has no rate that month
mrr_by_month as (
    select
        company_key,
        month as period_start,
        case
            when count(*) = count(mrr_reporting) then sum(mrr_reporting)
        end as mrr_reporting
    from mrr_monthly
    group by company_key, month
),

mrr_starts as (
    select
        company_key,
        min(period_start) as first_month
    from mrr_by_month
    group by company_key
),

-- every month from the first with MRR to the latest extract's, 0 without
mrr_values as (
    select
        mrr_starts.company_key,
        'mrr' as metric,
        'month' as grain,
        case
            when mrr_by_month.company_key is null then 0
            else mrr_by_month.mrr_reporting
        end as metric_value,
        months.period_end <= billing.as_of_date as is_complete_period,
        months.period_start,
        months.period_end
    from mrr_starts
    cross join billing
    inner join months
        on months.period_start >= mrr_starts.first_month
        and months.period_start <= billing.as_of_date
    left join mrr_by_month
        on mrr_starts.company_key = mrr_by_month.company_key
        and months.period_start = mrr_by_month.period_start
),

unioned_values as (
    select
        company_key,
        metric,
        grain,
        metric_value,
        is_complete_period,
        period_start,
        period_end
    from metric_periods
    union all
    select
        company_key,
        metric,
        grain,
        cast(metric_value as double) as metric_value,
        is_complete_period,
        period_start,
        period_end
    from mrr_values
    where metric_value is not null
),

all_values as (
    select
        company_key,
        metric,
        grain,
        metric_value,
        is_complete_period,
        period_start,
        period_end,
        case
            when grain = 'month'
                then {{ dbt.dateadd('month', -baseline_periods, 'period_start') }}
            else {{ dbt.dateadd('day', -7 * baseline_periods, 'period_start') }}
        end as baseline_from,
        case
            when grain = 'month' then {{ dbt.dateadd('month', -1, 'period_start') }}
            else {{ dbt.dateadd('day', -7, 'period_start') }}
        end as previous_start
    from unioned_values
),

-- each period with the values of its baseline periods
windows as (
    select
        current_period.company_key,
        current_period.metric,
        current_period.grain,
        current_period.period_start,
        current_period.previous_start,
        prior_period.period_start as prior_start,
        prior_period.metric_value as prior_value
    from all_values as current_period
    inner join all_values as prior_period
        on current_period.company_key = prior_period.company_key
        and current_period.metric = prior_period.metric
        and current_period.grain = prior_period.grain
        and prior_period.period_start < current_period.period_start
        and prior_period.period_start >= current_period.baseline_from
),

medians as (
    select
        company_key,
        metric,
        grain,
        period_start,
        count(*) as baseline_periods,
        {{ median('prior_value') }} as baseline_median,
        max(case when prior_start = previous_start then prior_value end) as previous_value
    from windows
    group by company_key, metric, grain, period_start
),

deviations as (
    select
        windows.company_key,
        windows.metric,
        windows.grain,
        windows.period_start,
        {{ median('abs(windows.prior_value - medians.baseline_median)') }} as baseline_mad,
        -- summed as decimals: a sum of doubles depends on the order the
        -- threads add them in, and a rebuild must give the same bits
        sum(cast(abs(windows.prior_value - medians.baseline_median) as decimal(38, 6)))
        / count(*) as baseline_mean_abs_deviation
    from windows
    inner join medians
        on windows.company_key = medians.company_key
        and windows.metric = medians.metric
        and windows.grain = medians.grain
        and windows.period_start = medians.period_start
    group by windows.company_key, windows.metric, windows.grain, windows.period_start
),

baselines as (
    select
        all_values.company_key,
        all_values.metric,
        all_values.grain,
        all_values.metric_value,
        all_values.is_complete_period,
        all_values.period_start,
        all_values.period_end,
        all_values.previous_start,
        medians.previous_value,
        coalesce(medians.baseline_periods, 0) as baseline_periods,
        coalesce(medians.baseline_periods, 0) >= {{ min_history }} as has_enough_history,
        medians.baseline_median,
        deviations.baseline_mad,
        deviations.baseline_mean_abs_deviation,
        case
            {%- for metric, minimum in min_changes.items() %}
                when all_values.metric = '{{ metric }}' then {{ minimum | float }}
            {%- endfor %}
        end as min_abs_change
    from all_values
    left join medians
        on all_values.company_key = medians.company_key
        and all_values.metric = medians.metric
        and all_values.grain = medians.grain
        and all_values.period_start = medians.period_start
    left join deviations
        on all_values.company_key = deviations.company_key
        and all_values.metric = deviations.metric
        and all_values.grain = deviations.grain
        and all_values.period_start = deviations.period_start
),

scored as (
    select
        company_key,
        metric,
        grain,
        metric_value,
        is_complete_period,
        period_start,
        period_end,
        previous_start,
        previous_value,
        baseline_periods,
        has_enough_history,
        min_abs_change,
        case when has_enough_history then baseline_median end as baseline_median,
        case when has_enough_history then baseline_mad end as baseline_mad,
        case when has_enough_history then baseline_mean_abs_deviation end
            as baseline_mean_abs_deviation,
        case when has_enough_history then metric_value - baseline_median end as change,
        -- 1.4826 x MAD and 1.2533 x the mean absolute deviation both
        -- estimate the standard deviation of normally distributed values
        case
            when not has_enough_history then null
            when baseline_mad > 0
                then (metric_value - baseline_median) / (1.4826 * baseline_mad)
            when baseline_mean_abs_deviation > 0
                then (metric_value - baseline_median) / (1.2533 * baseline_mean_abs_deviation)
        end as robust_z
    from baselines
),

flagged as (
    select
        *,
        coalesce(
            has_enough_history
            and is_complete_period
            and abs(change) >= min_abs_change
            and change <> 0
            -- a baseline without any spread (robust_z null): any change
            -- of the minimum size stands out
            and (robust_z is null or abs(robust_z) >= {{ z_threshold }}),
            false
        ) as is_anomaly
    from scored
),

directed as (
    select
        *,
        case
            when is_anomaly and change > 0 then 'spike'
            when is_anomaly then 'drop'
        end as direction
    from flagged
),

-- an anomaly that goes on from the period before in the same direction (a
-- level shift stays unusual until the baseline catches up with it)
sequenced as (
    select
        *,
        lag(direction) over by_company_metric as previous_direction,
        lag(period_start) over by_company_metric as previous_row_start
    from directed
    window by_company_metric as (partition by company_key, metric, grain order by period_start)
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        -- strings
        cast(metric as varchar) as metric,
        cast(grain as varchar) as grain,
        cast(case metric
            when 'mrr' then {{ reporting_currency() }}
            {%- for metric, unit in units.items() if unit %}
                when '{{ metric }}' then '{{ unit }}'
            {%- endfor %}
        end as varchar) as unit,
        cast(direction as varchar) as direction,
        -- numerics
        cast(metric_value as double) as value,
        cast(previous_value as double) as previous_value,
        cast(baseline_median as double) as baseline_median,
        cast(baseline_mad as double) as baseline_mad,
        cast(baseline_mean_abs_deviation as double) as baseline_mean_abs_deviation,
        cast(baseline_periods as integer) as baseline_periods,
        cast(robust_z as double) as robust_z,
        cast(change as double) as change,
        cast(min_abs_change as double) as min_abs_change,
        -- booleans
        cast(has_enough_history as boolean) as has_enough_history,
        cast(is_complete_period as boolean) as is_complete_period,
        cast(is_anomaly as boolean) as is_anomaly,
        coalesce(
            direction = previous_direction and previous_start = previous_row_start, false
        ) as is_continuing_anomaly,
        -- dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end
    from sequenced
)

select * from final
