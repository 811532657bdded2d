{#- One row per company and each of its ancestors today, itself included at distance 0. -#}
with

ancestors as (
    {{ company_ancestors_as_of() }}
),

final as (
    select
        cast(company_key as varchar) as company_key,
        cast(ancestor_company_key as varchar) as ancestor_company_key,
        cast(distance as integer) as distance
    from ancestors
)

select * from final
