{#- One row per size band (seed company_size_bands): [lower_bound, upper_bound) of a measure. -#}
with

source as (
    select * from {{ ref('company_size_bands') }}
),

renamed as (
    select
        -- ids
        lower(trim(band_code)) as band_code,
        -- strings
        lower(trim(measure)) as measure,
        trim(band_name) as band_name,
        -- numerics
        cast(lower_bound as decimal(18, 2)) as lower_bound,
        cast(upper_bound as decimal(18, 2)) as upper_bound
    from source
)

select * from renamed
