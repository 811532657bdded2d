{#-
    One row per month, currency and reporting currency (seed fx_rates,
    owned by finance): units of the reporting currency per unit of the
    currency. Codes lower-cased and trimmed; month as the first day of its
    month.
-#}
with

source as (
    select * from {{ ref('fx_rates') }}
),

renamed as (
    select
        -- strings
        lower(trim(currency)) as currency,
        lower(trim(reporting_currency)) as reporting_currency,
        -- numerics
        cast(rate as decimal(18, 8)) as rate,
        -- dates
        cast({{ dbt.date_trunc('month', 'month') }} as date) as month
    from source
    where nullif(trim(currency), '') is not null
        and nullif(trim(reporting_currency), '') is not null
        and month is not null
)

select * from renamed
