{#-
    One row per freshness rule (seed freshness_rules, owned by customer
    success): codes lower-cased and trimmed, `*` kept as "any".
-#}
with

source as (
    select * from {{ ref('freshness_rules') }}
),

renamed as (
    select
        -- ids
        lower(trim(entity)) as entity,
        lower(trim(attribute)) as attribute,
        lower(trim(lifecycle_stage)) as lifecycle_stage,
        lower(trim(employee_size_band)) as employee_size_band,
        lower(trim(mrr_band)) as mrr_band,
        -- strings
        trim(note) as note,
        -- numerics
        cast(max_age_days as integer) as max_age_days
    from source
    where nullif(trim(entity), '') is not null
)

select * from renamed
