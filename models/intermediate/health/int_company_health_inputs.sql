{#-
    One row per company-week of int_company_weeks: the raw inputs of the
    health score's components (doc block `health_score_rules`) except
    feature breadth, which needs the access windows of a mart and is
    worked out in marts.fct_company_health_weekly. Weeks without activity,
    tickets or answers are zeros (or nulls where nothing can be measured),
    so the trailing figures read over every week of the company's history.
-#}
{%- set window_weeks = var('health_window_weeks') | int %}
{%- set baseline_weeks = var('health_baseline_weeks') | int %}
with

weeks as (
    select
        company_key,
        week_number,
        is_complete_week,
        has_event_history,
        week_start,
        week_end_date
    from {{ ref('int_company_weeks') }}
),

activity as (
    select
        company_key,
        active_people,
        event_count,
        key_event_count,
        active_people_in_window,
        week_start,
        last_active_date
    from {{ ref('int_company_activity_weekly') }}
),

support as (
    select
        company_key,
        tickets_opened,
        bad_ratings,
        tickets_solved,
        median_hours_to_solve,
        week_start
    from {{ ref('int_company_support_weekly') }}
),

nps as (
    select
        company_key,
        nps,
        nps_responses,
        week_start
    from {{ ref('int_company_nps_weekly') }}
),

billing as (
    select
        company_key,
        subscription_count,
        counted_subscription_count,
        is_trialing,
        mrr,
        mrr_window_start,
        seats,
        is_past_due,
        is_cancel_at_period_end,
        has_contraction,
        week_start
    from {{ ref('int_company_billing_weekly') }}
),

joined as (
    select
        weeks.company_key,
        weeks.week_number,
        weeks.is_complete_week,
        weeks.has_event_history,
        weeks.week_start,
        weeks.week_end_date,
        coalesce(activity.active_people, 0) as active_people,
        coalesce(activity.event_count, 0) as event_count,
        coalesce(activity.key_event_count, 0) as key_event_count,
        coalesce(activity.active_people_in_window, 0) as active_people_in_window,
        activity.last_active_date,
        coalesce(support.tickets_opened, 0) as tickets_opened,
        coalesce(support.bad_ratings, 0) as bad_ratings,
        coalesce(support.tickets_solved, 0) as tickets_solved,
        support.median_hours_to_solve,
        nps.nps,
        coalesce(nps.nps_responses, 0) as nps_responses,
        billing.subscription_count,
        billing.counted_subscription_count,
        billing.is_trialing,
        billing.mrr,
        billing.mrr_window_start,
        billing.seats,
        billing.is_past_due,
        billing.is_cancel_at_period_end,
        billing.has_contraction
    from weeks
    left join activity
        on weeks.company_key = activity.company_key
        and weeks.week_start = activity.week_start
    left join support
        on weeks.company_key = support.company_key
        and weeks.week_start = support.week_start
    left join nps
        on weeks.company_key = nps.company_key
        and weeks.week_start = nps.week_start
    left join billing
        on weeks.company_key = billing.company_key
        and weeks.week_start = billing.week_start
),

trailing_figures as (
    select
        joined.*,
        -- activity days only grow: the running max is the latest so far
        max(last_active_date) over (
            partition by company_key
            order by week_start
            rows between unbounded preceding and current row
        ) as last_active_date_so_far,
        max(active_people) over (
            partition by company_key
            order by week_start
            rows between {{ baseline_weeks - 1 }} preceding and current row
        ) as trailing_peak_active_people,
        avg(case when has_event_history then event_count end) over (
            partition by company_key
            order by week_start
            rows between {{ baseline_weeks }} preceding and 1 preceding
        ) as baseline_weekly_events,
        count(case when has_event_history then 1 end) over (
            partition by company_key
            order by week_start
            rows between {{ baseline_weeks }} preceding and 1 preceding
        ) as baseline_weeks,
        lag(active_people_in_window, {{ window_weeks }}) over (
            partition by company_key
            order by week_start
        ) as active_people_in_previous_window
    from joined
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        -- numerics
        cast(week_number as integer) as week_number,
        -- dbt.datediff expands to one long line
        -- noqa: disable=LT05
        cast(
            {{ dbt.datediff('last_active_date_so_far', 'week_end_date', 'day') }} as integer
        ) as days_since_last_activity,
        cast(active_people as bigint) as active_people,
        cast(seats as bigint) as seats,
        cast(trailing_peak_active_people as bigint) as trailing_peak_active_people,
        cast(event_count as bigint) as event_count,
        cast(key_event_count as bigint) as key_event_count,
        cast({{ dbt.datediff('week_start', 'week_end_date', 'day') }} + 1 as integer)
            as days_observed,
        -- noqa: enable=LT05
        cast(baseline_weekly_events as double) as baseline_weekly_events,
        cast(baseline_weeks as integer) as baseline_weeks,
        cast(active_people_in_window as bigint) as active_people_in_window,
        cast(active_people_in_previous_window as bigint) as active_people_in_previous_window,
        cast(tickets_opened as bigint) as tickets_opened,
        cast(bad_ratings as bigint) as bad_ratings,
        cast(tickets_solved as bigint) as tickets_solved,
        cast(median_hours_to_solve as double) as median_hours_to_solve,
        cast(nps as double) as nps,
        cast(nps_responses as bigint) as nps_responses,
        cast(subscription_count as bigint) as subscription_count,
        cast(counted_subscription_count as bigint) as counted_subscription_count,
        cast(mrr as decimal(18, 4)) as mrr,
        cast(mrr_window_start as decimal(18, 4)) as mrr_window_start,
        -- booleans
        is_complete_week,
        has_event_history,
        is_trialing,
        is_past_due,
        is_cancel_at_period_end,
        has_contraction,
        -- dates
        cast(week_start as date) as week_start,
        cast(week_end_date as date) as week_end_date,
        cast(last_active_date_so_far as date) as last_active_date
    from trailing_figures
)

select * from final
