{#- One row per billing plan (seed plans): its rank, higher = more. -#}
with

source as (
    select * from {{ ref('plans') }}
),

renamed as (
    select
        -- ids
        lower(trim(plan)) as plan,
        -- numerics
        cast(plan_rank as integer) as plan_rank
    from source
    where nullif(trim(plan), '') is not null
)

select * from renamed
