{#-
    One row per sales stage (seed opportunity_stages, owned by sales
    operations): its order and win probability; stage_key is the name
    lower-cased and trimmed, what opportunities are matched on.
-#}
with

source as (
    select * from {{ ref('opportunity_stages') }}
),

renamed as (
    select
        -- ids
        lower(trim(stage_name)) as stage_key,
        -- strings
        trim(stage_name) as stage_name,
        -- numerics
        cast(stage_order as integer) as stage_order,
        cast(probability as decimal(5, 4)) as probability,
        -- booleans
        cast(is_closed as boolean) as is_closed,
        cast(is_won as boolean) as is_won
    from source
    where nullif(trim(stage_name), '') is not null
)

select * from renamed
