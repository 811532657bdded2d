{#-
    One row per company-week of int_company_weeks from the week of the
    company's first billing extract holding one of its subscriptions: its
    billing state at the latest extract on or before the week's last day
    (a week without an extract keeps the last one's): subscriptions held,
    any past_due, any counted subscription set to cancel at period end, its
    MRR (the sum of its counted subscriptions' MRR in their own currencies,
    so a rate change never looks like contraction), its seats (the largest
    quantity of an item of a counted subscription) and its MRR
    var('health_window_weeks') weeks earlier. Extract dates are UTC days,
    compared with the company's local days.
-#}
{%- set window_weeks = var('health_window_weeks') | int %}
with

customer_companies as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

item_seats as (
    select
        subscription_id,
        extract_date,
        max(quantity) as seats
    from {{ ref('int_subscription_item_mrr') }}
    group by subscription_id, extract_date
),

company_extracts as (
    select
        customer_companies.company_key,
        observations.extract_date,
        count(*) as subscription_count,
        sum(case when observations.is_counted_status then 1 else 0 end)
            as counted_subscription_count,
        max(case when observations.status = 'trialing' then 1 else 0 end) as trialing_flag,
        max(case when observations.status = 'past_due' then 1 else 0 end) as past_due_flag,
        max(
            case
                when observations.is_counted_status and observations.is_cancel_at_period_end
                    then 1
                else 0
            end
        ) as cancel_flag,
        sum(observations.mrr) as mrr,
        max(case when observations.is_counted_status then item_seats.seats end) as seats
    from {{ ref('int_subscription_observations') }} as observations
    inner join customer_companies
        on observations.customer_id = customer_companies.customer_id
    left join item_seats
        on observations.subscription_id = item_seats.subscription_id
        and observations.extract_date = item_seats.extract_date
    where observations.status <> 'absent'
    group by customer_companies.company_key, observations.extract_date
),

-- the latest extract of each week, valid until the next week with one
week_states as (
    select
        company_key,
        cast({{ dbt.date_trunc('week', 'extract_date') }} as date) as billing_week_start,
        extract_date,
        subscription_count,
        counted_subscription_count,
        trialing_flag,
        past_due_flag,
        cancel_flag,
        mrr,
        seats
    from company_extracts
    qualify row_number() over (
            partition by company_key, cast({{ dbt.date_trunc('week', 'extract_date') }} as date)
            order by extract_date desc
        ) = 1
),

state_windows as (
    select
        week_states.*,
        lead(billing_week_start) over (
            partition by company_key
            order by billing_week_start
        ) as next_billing_week_start
    from week_states
),

weeks as (
    select
        company_key,
        week_start
    from {{ ref('int_company_weeks') }}
),

weekly as (
    select
        weeks.company_key,
        weeks.week_start,
        state_windows.extract_date,
        state_windows.subscription_count,
        state_windows.counted_subscription_count,
        state_windows.trialing_flag,
        state_windows.past_due_flag,
        state_windows.cancel_flag,
        state_windows.mrr,
        state_windows.seats
    from weeks
    inner join state_windows
        on weeks.company_key = state_windows.company_key
        and weeks.week_start >= state_windows.billing_week_start
        and (
            state_windows.next_billing_week_start is null
            or weeks.week_start < state_windows.next_billing_week_start
        )
),

final as (
    select
        -- keys
        cast(weekly.company_key as varchar) as company_key,
        -- numerics
        cast(weekly.subscription_count as bigint) as subscription_count,
        cast(weekly.counted_subscription_count as bigint) as counted_subscription_count,
        cast(weekly.mrr as decimal(18, 4)) as mrr,
        cast(earlier.mrr as decimal(18, 4)) as mrr_window_start,
        cast(weekly.seats as bigint) as seats,
        -- booleans
        weekly.trialing_flag = 1 as is_trialing,
        weekly.past_due_flag = 1 as is_past_due,
        weekly.cancel_flag = 1 as is_cancel_at_period_end,
        coalesce(weekly.mrr < earlier.mrr, false) as has_contraction,
        -- dates
        cast(weekly.week_start as date) as week_start,
        cast(weekly.extract_date as date) as extract_date
    from weekly
    left join weekly as earlier
        on weekly.company_key = earlier.company_key
        and earlier.week_start = {{ dbt.dateadd('day', -7 * window_weeks, 'weekly.week_start') }}
)

select * from final
