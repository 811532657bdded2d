{#-
    One row per month and currency the revenue marts can convert to the
    reporting currency (reporting_currency()): finance's rate from seed
    fx_rates, and the reporting currency itself at 1 for every month of the
    calendar. A currency and month with no row here has no rate: the marts
    leave its reporting amounts null.
-#}
with

rates as (
    select
        month,
        currency,
        reporting_currency,
        rate
    from {{ ref('stg_seeds__fx_rates') }}
),

months as (
    select distinct month_start_date as month
    from {{ ref('int_calendar_days') }}
),

finance_rates as (
    select
        currency,
        reporting_currency,
        rate as fx_rate,
        month
    from rates
    where reporting_currency = {{ reporting_currency() }}
        and currency <> reporting_currency
        and rate > 0
),

identity_rates as (
    select
        {{ reporting_currency() }} as currency,
        {{ reporting_currency() }} as reporting_currency,
        cast(1 as decimal(18, 8)) as fx_rate,
        month
    from months
),

final as (
    select
        -- strings
        cast(currency as varchar) as currency,
        cast(reporting_currency as varchar) as reporting_currency,
        -- numerics
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        -- dates
        month
    from finance_rates
    union all
    select
        cast(currency as varchar) as currency,
        cast(reporting_currency as varchar) as reporting_currency,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        month
    from identity_rates
)

select * from final
