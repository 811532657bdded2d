{#-
    One row per currency (currency_code): seed currencies, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('currencies') }}
),

typed as (
    select
        cast(currency_code as varchar) as currency_code,
        cast(minor_unit_exponent as integer) as minor_unit_exponent,
        cast(currency_name as varchar) as currency_name
    from source
)

select * from typed
