{#-
    One row per identity override (entity and pair of identifiers): seed
    identity_overrides typed as seeds/_seeds.yml declares, names and values
    unchanged except emails, trimmed and lower-cased as the person graph
    holds them (c360 seeds check has already refused unknown values).
-#}
with

source as (
    select * from {{ ref('identity_overrides') }}
),

typed as (
    select
        cast(entity as varchar) as entity,
        cast(identifier_type_a as varchar) as identifier_type_a,
        case
            when identifier_type_a = 'email'
                then lower(trim(cast(identifier_value_a as varchar)))
            else cast(identifier_value_a as varchar)
        end as identifier_value_a,
        cast(identifier_type_b as varchar) as identifier_type_b,
        case
            when identifier_type_b = 'email'
                then lower(trim(cast(identifier_value_b as varchar)))
            else cast(identifier_value_b as varchar)
        end as identifier_value_b,
        cast(rule as varchar) as rule,
        cast(reason as varchar) as reason,
        cast(requested_by as varchar) as requested_by,
        cast(requested_on as date) as requested_on
    from source
)

select * from typed
