{#-
    One row per health-score component and parameter (seed
    health_score_model, owned by customer success): names lower-cased and
    trimmed, values typed.
-#}
with

source as (
    select * from {{ ref('health_score_model') }}
),

renamed as (
    select
        -- ids
        lower(trim(component)) as component,
        lower(trim(parameter)) as parameter,
        -- numerics
        cast(value as decimal(18, 8)) as parameter_value
    from source
    where nullif(trim(component), '') is not null
)

select * from renamed
