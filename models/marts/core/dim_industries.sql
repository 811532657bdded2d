{#-
    One row per node of the industry taxonomy: its name, level (1 =
    sector), parents, primary path and every path from the top down to it.
-#}
with

industries as (
    select * from {{ ref('int_industries') }}
),

paths as (
    select * from {{ ref('int_industry_paths') }}
),

top_paths as (
    select
        industry_code,
        ancestor_industry_code,
        ancestor_industry_level,
        industry_path,
        industry_name_path,
        is_primary_path
    from paths
    where is_from_top
),

path_summary as (
    select
        industry_code,
        count(*) as path_count,
        {{ dbt.listagg(
            'industry_path', "'; '", 'order by is_primary_path desc, industry_path'
        ) }} as all_paths
    from top_paths
    group by industry_code
),

primary_paths as (
    select
        industry_code,
        case when ancestor_industry_level = 1 then ancestor_industry_code end
            as primary_sector_code,
        industry_path as primary_path,
        industry_name_path as primary_name_path
    from top_paths
    where is_primary_path
),

final as (
    select
        -- ids
        cast(industries.industry_code as varchar) as industry_code,
        cast(industries.primary_parent_industry_code as varchar)
            as primary_parent_industry_code,
        cast(primary_paths.primary_sector_code as varchar) as primary_sector_code,
        -- strings
        cast(industries.industry_name as varchar) as industry_name,
        cast(
            case industries.industry_level
                when 1 then 'sector'
                when 2 then 'segment'
                when 3 then 'medium'
                else 'level ' || cast(industries.industry_level as varchar)
            end as varchar
        ) as level_name,
        cast(industries.description as varchar) as description,
        cast(industries.parent_industry_codes as varchar) as parent_industry_codes,
        cast(primary_paths.primary_path as varchar) as primary_path,
        cast(primary_paths.primary_name_path as varchar) as primary_name_path,
        cast(path_summary.all_paths as varchar) as all_paths,
        -- numerics
        cast(industries.industry_level as integer) as level,
        cast(industries.parent_count as integer) as parent_count,
        cast(path_summary.path_count as integer) as path_count,
        -- booleans
        cast(industries.is_leaf as boolean) as is_leaf
    from industries
    left join path_summary on industries.industry_code = path_summary.industry_code
    left join primary_paths on industries.industry_code = primary_paths.industry_code
)

select * from final
