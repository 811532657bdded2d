{#-
    One row per country (country_code): seed countries, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('countries') }}
),

typed as (
    select
        cast(country_code as varchar) as country_code,
        cast(country_code_alpha3 as varchar) as country_code_alpha3,
        cast(country_name as varchar) as country_name,
        cast(zone_count as integer) as zone_count,
        cast(timezone as varchar) as timezone
    from source
)

select * from typed
