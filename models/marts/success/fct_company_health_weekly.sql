{#-
    One row per company and week (Monday start, on the company's clock)
    from the week of its first activity or subscription to the as-of week:
    each health component's raw input and 0-100 score, the weighted score,
    its band, its change against the previous week and the component that
    moved it most (`driver`). Rules, weights and the check of what the
    score predicts: doc block `health_score_rules`; weights and thresholds
    from seeds/health_score_model.csv (int_health_score_parameters).
-#}
{%- set components = [
    'usage_recency', 'usage_frequency', 'feature_breadth', 'usage_trend',
    'nps', 'support', 'team_growth', 'billing_risk',
] %}
{%- set trend_min_weeks = var('health_trend_min_weeks') | int %}
with

inputs as (
    select * from {{ ref('int_company_health_inputs') }}
),

parameters as (
    select * from {{ ref('int_health_score_parameters') }}
),

feature_use as (
    select
        company_key,
        feature,
        week_start
    from {{ ref('int_company_feature_use_weekly') }}
),

access_windows as (
    select
        company_key,
        feature,
        access_from,
        access_to
    from {{ ref('fct_feature_access_windows') }}
),

-- the features the company has access to at the end of the week's last day
accessible as (
    select distinct
        inputs.company_key,
        inputs.week_start,
        access_windows.feature
    from inputs
    inner join access_windows
        on inputs.company_key = access_windows.company_key
        and access_windows.access_from
        < {{ dbt.dateadd('day', 1, 'cast(inputs.week_end_date as timestamp)') }}
        and (
            access_windows.access_to is null
            or access_windows.access_to
            >= {{ dbt.dateadd('day', 1, 'cast(inputs.week_end_date as timestamp)') }}
        )
),

breadth as (
    select
        accessible.company_key,
        accessible.week_start,
        count(*) as features_accessible,
        count(feature_use.feature) as features_used
    from accessible
    left join feature_use
        on accessible.company_key = feature_use.company_key
        and accessible.week_start = feature_use.week_start
        and accessible.feature = feature_use.feature
    group by accessible.company_key, accessible.week_start
),

measured as (
    select
        inputs.*,
        coalesce(breadth.features_accessible, 0) as features_accessible,
        coalesce(breadth.features_used, 0) as features_used,
        case
            when inputs.seats > 0 then inputs.seats
            else inputs.trailing_peak_active_people
        end as seat_base,
        1.0 * inputs.event_count * 7 / inputs.days_observed as weekly_event_rate
    from inputs
    left join breadth
        on inputs.company_key = breadth.company_key
        and inputs.week_start = breadth.week_start
),

ratios as (
    select
        measured.*,
        1.0 * active_people / nullif(seat_base, 0) as active_share,
        weekly_event_rate / nullif(baseline_weekly_events, 0) as trend_ratio,
        1.0 * active_people_in_window / nullif(active_people_in_previous_window, 0)
            as team_ratio
    from measured
),

scored as (
    select
        ratios.*,
        parameters.*,
        case
            when not has_event_history then null
            when days_since_last_activity is null then 0
            when days_since_last_activity <= usage_recency__full_days then 100
            when days_since_last_activity >= usage_recency__zero_days then 0
            else 100.0 * (usage_recency__zero_days - days_since_last_activity)
                / (usage_recency__zero_days - usage_recency__full_days)
        end as usage_recency_score,
        case
            when not has_event_history then null
            when coalesce(seat_base, 0) = 0 then 0
            else 100.0 * least(1.0, active_share / usage_frequency__target_active_share)
        end as usage_frequency_score,
        case
            when not has_event_history then null
            when features_accessible = 0 then null
            else 100.0 * least(
                    1.0, 1.0 * features_used / features_accessible / feature_breadth__target_share
                )
        end as feature_breadth_score,
        case
            when not has_event_history then null
            when baseline_weeks < {{ trend_min_weeks }} then null
            when coalesce(baseline_weekly_events, 0) = 0 and event_count = 0 then null
            when coalesce(baseline_weekly_events, 0) = 0 then 100
            when trend_ratio >= usage_trend__full_ratio then 100
            when trend_ratio <= usage_trend__floor_ratio then 0
            else 100.0 * (trend_ratio - usage_trend__floor_ratio)
                / (usage_trend__full_ratio - usage_trend__floor_ratio)
        end as usage_trend_score,
        case when nps_responses > 0 then (nps + 100) / 2 end as nps_score,
        greatest(
            0.0,
            100.0
            - tickets_opened * support__ticket_penalty
            - bad_ratings * support__bad_rating_penalty
            - greatest(0.0, coalesce(median_hours_to_solve, 0) - support__target_hours_to_solve)
            * support__penalty_per_hour_late
        ) as support_score,
        case
            when not has_event_history then null
            when team_ratio is null then null
            when team_ratio >= team_growth__full_ratio then 100
            when team_ratio <= team_growth__floor_ratio then 0
            else 100.0 * (team_ratio - team_growth__floor_ratio)
                / (team_growth__full_ratio - team_growth__floor_ratio)
        end as team_growth_score,
        case
            when subscription_count is null then null
            when counted_subscription_count = 0 and is_trialing then null
            when counted_subscription_count = 0 then 0
            else greatest(
                    0.0,
                    100.0
                    - case when is_past_due then billing_risk__past_due_penalty else 0 end
                    - case when is_cancel_at_period_end then billing_risk__cancel_penalty else 0 end
                    - case when has_contraction then billing_risk__contraction_penalty else 0 end
                )
        end as billing_risk_score
    from ratios
    cross join parameters
),

-- each measured component's share of the score: its weight over the
-- weights of the components measured that week, times its score
weighted as (
    select
        scored.*,
        -- noqa: disable=LT02
        {%- for c in components %}
            case when {{ c }}_score is not null then {{ c }}__weight else 0 end
            {{- ' +' if not loop.last else ' as measured_weight,' }}
        {%- endfor %}
        {%- for c in components %}
            coalesce({{ c }}__weight * {{ c }}_score, 0)
            {{- ' +' if not loop.last else ' as weighted_sum' }}
        {%- endfor %}
        -- noqa: enable=LT02
    from scored
),

with_score as (
    select
        weighted.*,
        weighted_sum / nullif(measured_weight, 0) as raw_score
    from weighted
),

with_previous as (
    select
        with_score.*,
        {%- for c in components %}
            lag({{ c }}_score) over (partition by company_key order by week_start)
                as previous_{{ c }}_score,
        {%- endfor %}
        lag(raw_score) over (partition by company_key order by week_start) as previous_raw_score,
        lag(measured_weight) over (
            partition by company_key
            order by week_start
        ) as previous_measured_weight,
        lag(week_start) over (partition by company_key order by week_start) as previous_week_start
    from with_score
),

-- how many points each component moved the score since the previous
-- week: its weight share times its own change; a component measured for
-- the first time moves it by its share times its distance from the old
-- score, one no longer measured by the old share times the new score's
-- distance from its old score (doc block health_score_rules)
contributions as (
    -- noqa: disable=LT02
    {%- for c in components %}
        select
            company_key,
            week_start,
            '{{ c }}' as component,
            {{ loop.index }} as component_order,
            case
                when {{ c }}_score is not null and previous_{{ c }}_score is not null
                    then {{ c }}__weight * ({{ c }}_score - previous_{{ c }}_score)
                        / measured_weight
                when {{ c }}_score is not null
                    then {{ c }}__weight * ({{ c }}_score - previous_raw_score) / measured_weight
                when previous_{{ c }}_score is not null
                    then {{ c }}__weight * (raw_score - previous_{{ c }}_score)
                        / previous_measured_weight
                else 0
            end as contribution,
            {{ c }}_score - previous_{{ c }}_score as component_change
        from with_previous
        where previous_raw_score is not null
            and raw_score is not null
        {{ 'union all' if not loop.last }}
    {%- endfor %}
    -- noqa: enable=LT02
),

drivers as (
    select
        company_key,
        week_start,
        component as driver,
        contribution as driver_contribution,
        component_change as driver_change
    from contributions
    where abs(contribution) > 0.000001
    qualify row_number() over (
            partition by company_key, week_start
            order by abs(contribution) desc, component_order
        ) = 1
),

banded as (
    select
        with_previous.*,
        round(raw_score, 1) as score,
        round(previous_raw_score, 1) as previous_score,
        case
            when raw_score >= band__healthy_min then 'healthy'
            when raw_score >= band__watch_min then 'watch'
            when raw_score is not null then 'at_risk'
        end as band,
        case
            when previous_raw_score >= band__healthy_min then 'healthy'
            when previous_raw_score >= band__watch_min then 'watch'
            when previous_raw_score is not null then 'at_risk'
        end as previous_band
    from with_previous
),

final as (
    select
        -- keys
        cast(banded.company_key as varchar) as company_key,
        -- strings
        cast(banded.band as varchar) as band,
        cast(banded.previous_band as varchar) as previous_band,
        cast(drivers.driver as varchar) as driver,
        -- numerics: the score
        cast(banded.score as double) as score,
        cast(banded.previous_score as double) as previous_score,
        cast(round(banded.raw_score - banded.previous_raw_score, 1) as double) as score_change,
        cast(round(drivers.driver_contribution, 1) as double) as driver_contribution,
        cast(round(drivers.driver_change, 1) as double) as driver_change,
        cast(banded.measured_weight as double) as measured_weight,
        -- numerics: components (0-100; null when not measured)
        {%- for c in components %}
            cast(round(banded.{{ c }}_score, 1) as double) as {{ c }}_score,
        {%- endfor %}
        -- numerics: raw inputs
        cast(banded.week_number as integer) as week_number,
        cast(banded.days_since_last_activity as integer) as days_since_last_activity,
        cast(banded.active_people as bigint) as active_people,
        cast(banded.seats as bigint) as seats,
        cast(banded.seat_base as bigint) as seat_base,
        cast(banded.active_share as double) as active_share,
        cast(banded.features_used as bigint) as features_used,
        cast(banded.features_accessible as bigint) as features_accessible,
        cast(banded.event_count as bigint) as event_count,
        cast(banded.key_event_count as bigint) as key_event_count,
        cast(banded.baseline_weekly_events as double) as baseline_weekly_events,
        cast(banded.trend_ratio as double) as trend_ratio,
        cast(banded.nps as double) as nps,
        cast(banded.nps_responses as bigint) as nps_responses,
        cast(banded.tickets_opened as bigint) as tickets_opened,
        cast(banded.bad_ratings as bigint) as bad_ratings,
        cast(banded.tickets_solved as bigint) as tickets_solved,
        cast(banded.median_hours_to_solve as double) as median_hours_to_solve,
        cast(banded.active_people_in_window as bigint) as active_people_in_window,
        cast(banded.active_people_in_previous_window as bigint)
            as active_people_in_previous_window,
        cast(banded.team_ratio as double) as team_ratio,
        cast(banded.mrr as decimal(18, 4)) as mrr,
        cast(banded.mrr_window_start as decimal(18, 4)) as mrr_window_start,
        -- booleans
        banded.is_complete_week,
        banded.has_event_history,
        coalesce(banded.is_past_due, false) as is_past_due,
        coalesce(banded.is_cancel_at_period_end, false) as is_cancel_at_period_end,
        coalesce(banded.has_contraction, false) as has_contraction,
        -- dates
        cast(banded.week_start as date) as week_start,
        cast(banded.week_end_date as date) as week_end_date,
        cast(banded.last_active_date as date) as last_active_date
    from banded
    left join drivers
        on banded.company_key = drivers.company_key
        and banded.week_start = drivers.week_start
)

select * from final
