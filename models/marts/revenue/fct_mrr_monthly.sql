{#-
    One row per company, currency and month from the company's first month
    with MRR in that currency to the month of the latest billing extract,
    leaving out months that start and end at 0. mrr is the MRR in force at
    the end of the month (for the latest month: at the latest extract),
    previous_mrr the same at the end of the month before; the movement
    names what happened between them (doc block `mrr_movements`). Reporting
    amounts convert each month at its own rate; fx_effect is what the
    rate's change did to the MRR carried in, so that in the reporting
    currency previous_mrr_reporting + movement_mrr_reporting + fx_effect =
    mrr_reporting.
-#}
with

daily as (
    select
        company_key,
        currency,
        mrr,
        subscription_count,
        mrr_date
    from {{ ref('fct_mrr_daily') }}
),

latest as (
    select max(extract_date) as latest_extract_date
    from {{ ref('int_subscription_observations') }}
),

rates as (
    select
        month,
        currency,
        fx_rate
    from {{ ref('int_fx_rates_monthly') }}
),

-- each month's closing day: its last day, or the latest extract's day
months as (
    select
        month_start_date as month,
        max(calendar_date) as closing_date
    from {{ ref('int_calendar_days') }}
    where calendar_date >= (select min(mrr_date) from daily)
        and calendar_date <= (select latest_extract_date from latest)
    group by month_start_date
),

closing as (
    select
        daily.company_key,
        daily.currency,
        months.month,
        daily.mrr,
        daily.subscription_count
    from daily
    inner join months on daily.mrr_date = months.closing_date
),

first_months as (
    select
        company_key,
        currency,
        min(month) as first_month
    from closing
    group by company_key, currency
),

grid as (
    select
        first_months.company_key,
        first_months.currency,
        months.month,
        coalesce(closing.mrr, 0) as mrr,
        coalesce(closing.subscription_count, 0) as subscription_count
    from first_months
    inner join months on months.month >= first_months.first_month
    left join closing
        on first_months.company_key = closing.company_key
        and first_months.currency = closing.currency
        and months.month = closing.month
),

with_previous as (
    select
        *,
        coalesce(
            lag(mrr) over (partition by company_key, currency order by month), 0
        ) as previous_mrr,
        -- earlier months that closed with MRR
        coalesce(
            sum(case when mrr > 0 then 1 else 0 end) over (
                partition by company_key, currency
                order by month
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as earlier_months_with_mrr
    from grid
),

classified as (
    select
        *,
        case
            when previous_mrr = 0 and earlier_months_with_mrr = 0 then 'new'
            when previous_mrr = 0 then 'reactivation'
            when mrr = 0 then 'churn'
            when mrr > previous_mrr then 'expansion'
            when mrr < previous_mrr then 'contraction'
            else 'flat'
        end as movement
    from with_previous
    where mrr > 0 or previous_mrr > 0
),

converted as (
    select
        classified.*,
        this_month.fx_rate,
        previous_month.fx_rate as previous_fx_rate
    from classified
    left join rates as this_month
        on classified.currency = this_month.currency
        and classified.month = this_month.month
    left join rates as previous_month
        on classified.currency = previous_month.currency
        and {{ dbt.dateadd('month', -1, 'classified.month') }} = previous_month.month
),

amounts as (
    select
        *,
        {{ convert_amount('mrr', 'fx_rate') }} as mrr_reporting,
        -- nothing carried in needs no rate
        case
            when previous_mrr = 0 then cast(0 as decimal(18, 4))
            else {{ convert_amount('previous_mrr', 'previous_fx_rate') }}
        end as previous_mrr_reporting,
        {{ convert_amount('mrr - previous_mrr', 'fx_rate') }} as movement_mrr_reporting
    from converted
),

final as (
    select
        -- keys
        company_key,
        -- strings
        currency,
        cast({{ reporting_currency() }} as varchar) as reporting_currency,
        movement,
        -- numerics
        cast(mrr as decimal(18, 4)) as mrr,
        cast(previous_mrr as decimal(18, 4)) as previous_mrr,
        cast(mrr - previous_mrr as decimal(18, 4)) as movement_mrr,
        cast(subscription_count as bigint) as subscription_count,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        cast(previous_fx_rate as decimal(18, 8)) as previous_fx_rate,
        mrr_reporting,
        previous_mrr_reporting,
        movement_mrr_reporting,
        -- the rate's change on the MRR carried in: previous_mrr x (rate -
        -- previous rate), to the 0.0001 the amounts are rounded to
        cast(mrr_reporting - previous_mrr_reporting - movement_mrr_reporting as decimal(18, 4))
            as fx_effect,
        -- booleans
        month = (
            select max(month) from months
        ) as is_latest_month,
        -- dates
        month
    from amounts
)

select * from final
