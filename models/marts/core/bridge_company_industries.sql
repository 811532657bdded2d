{#-
    One row per company and industry node it belongs to today: every node
    assigned to it (primary and secondary) and every ancestor of those,
    once, however many paths lead there.
-#}
with

assigned as (
    select * from {{ ref('int_company_industries') }}
),

paths as (
    select * from {{ ref('int_industry_paths') }}
),

reached as (
    select
        assigned.company_key,
        paths.ancestor_industry_code as industry_code,
        assigned.classification_source,
        paths.industry_path,
        paths.distance,
        paths.ancestor_industry_level as industry_level,
        assigned.is_primary,
        paths.is_primary_path
    from assigned
    inner join paths on assigned.industry_code = paths.industry_code
),

pairs as (
    select
        company_key,
        industry_code,
        {{ dbt.bool_or('is_primary') }} as is_primary,
        {{ dbt.bool_or('is_primary and is_primary_path') }} as is_primary_path,
        {{ dbt.bool_or('distance = 0') }} as is_assigned
    from reached
    group by company_key, industry_code
),

-- the path shown: from the primary node if it gets there, its primary path
-- first, then the shortest, then by code
shown_paths as (
    select
        company_key,
        industry_code,
        classification_source,
        industry_path,
        distance,
        industry_level
    from reached
    qualify row_number() over (
            partition by company_key, industry_code
            order by is_primary desc, is_primary_path desc, distance, industry_path
        ) = 1
),

final as (
    select
        -- ids
        cast(pairs.company_key as varchar) as company_key,
        cast(pairs.industry_code as varchar) as industry_code,
        -- strings
        cast(shown_paths.classification_source as varchar) as classification_source,
        cast(shown_paths.industry_path as varchar) as industry_path,
        -- numerics
        cast(shown_paths.industry_level as integer) as level,
        cast(shown_paths.distance as integer) as distance,
        -- booleans
        cast(pairs.is_primary as boolean) as is_primary,
        cast(pairs.is_primary_path as boolean) as is_primary_path,
        cast(pairs.is_assigned as boolean) as is_assigned
    from pairs
    inner join shown_paths
        on pairs.company_key = shown_paths.company_key
        and pairs.industry_code = shown_paths.industry_code
)

select * from final
