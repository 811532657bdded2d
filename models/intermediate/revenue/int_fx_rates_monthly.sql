{#-
    One row per month and currency the revenue marts can convert to the
    reporting currency (reporting_currency()): finance's rate from seed
    fx_rates. The reporting currency itself is not listed: its rate is 1 by
    definition (the marts apply that). A currency and month with no row
    here has no rate: the marts leave its reporting amounts null.
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

final as (
    select
        -- strings
        currency,
        reporting_currency,
        -- numerics
        rate as fx_rate,
        -- dates
        month
    from rates
    where reporting_currency = {{ reporting_currency() }}
        and currency <> reporting_currency
        and rate > 0
)

select * from final
