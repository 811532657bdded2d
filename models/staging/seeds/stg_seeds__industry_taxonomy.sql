{#- One row per taxonomy node (seed industry_taxonomy), codes trimmed and lower-cased. -#}
with

source as (
    select * from {{ ref('industry_taxonomy') }}
),

renamed as (
    select
        -- ids
        lower(trim(industry_code)) as industry_code,
        -- strings
        trim(industry_name) as industry_name,
        nullif(trim(description), '') as description,
        -- numerics
        cast(level as integer) as industry_level
    from source
)

select * from renamed
