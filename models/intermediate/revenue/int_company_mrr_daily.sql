{#-
    One row per company, currency and UTC day on which the company had MRR
    in that currency at the end of the day: MRR as of any date (a day not
    listed is 0). From the company's first day with MRR to the latest
    billing extract. The MRR at the end of day d is the sum of the
    subscription windows (int_subscription_mrr_windows) in force at its
    last instant: begun before d + 1 day 00:00 UTC and not ended before it
    (a subscription ending at midnight counts on the day it ends). Rules:
    doc block `mrr_rules`. Published as marts.fct_mrr_daily; company
    lifecycle (int_company_lifecycle) reads it here.
-#}
with

windows as (
    select
        company_key,
        subscription_id,
        currency,
        mrr,
        valid_from,
        valid_to
    from {{ ref('int_subscription_mrr_windows') }}
    where company_key is not null
),

latest as (
    select max(extract_date) as latest_extract_date
    from {{ ref('int_subscription_observations') }}
),

days as (
    select
        calendar_date,
        {{ dbt.dateadd('day', 1, 'cast(calendar_date as timestamp)') }} as day_end
    from {{ ref('int_calendar_days') }}
    where calendar_date >= (select min(cast(valid_from as date)) from windows)
        and calendar_date <= (select latest_extract_date from latest)
),

rates as (
    select
        month,
        currency,
        fx_rate
    from {{ ref('int_fx_rates_monthly') }}
),

in_force as (
    select
        windows.company_key,
        windows.currency,
        days.calendar_date,
        sum(windows.mrr) as mrr,
        count(distinct windows.subscription_id) as subscription_count
    from windows
    inner join days
        on windows.valid_from < days.day_end
        and (windows.valid_to is null or windows.valid_to >= days.day_end)
    group by windows.company_key, windows.currency, days.calendar_date
),

converted as (
    select
        in_force.*,
        rates.fx_rate
    from in_force
    left join rates
        on in_force.currency = rates.currency
        and cast({{ dbt.date_trunc('month', 'in_force.calendar_date') }} as date) = rates.month
),

final as (
    select
        -- keys
        company_key,
        -- strings
        currency,
        cast({{ reporting_currency() }} as varchar) as reporting_currency,
        -- numerics
        cast(mrr as decimal(18, 4)) as mrr,
        cast(12 * mrr as decimal(18, 4)) as arr,
        cast(subscription_count as bigint) as subscription_count,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        {{ convert_amount('mrr', 'fx_rate') }} as mrr_reporting,
        -- dates
        calendar_date as mrr_date
    from converted
)

select * from final
