{#-
    One row per node and each path up the taxonomy from it (kept links
    only), the node itself included at distance 0: (industry_code,
    industry_path). industry_path lists the codes from the ancestor down to
    the node joined by ' > '; is_primary_path is true when every step is a
    primary-parent link, so each node has exactly one primary path to each
    level above it. A node under two parents has two paths to a common
    ancestor: roll-ups must count distinct pairs (bridge_company_industries
    does). The walk stops after var('industry_max_depth') steps; kept links
    always go exactly one level up, so it ends on any input.
-#}
{%- set max_depth = var('industry_max_depth', 20) -%}
with recursive

industries as (
    select * from {{ ref('int_industries') }}
),

edges as (
    select * from {{ ref('int_industry_edges') }}
),

kept_edges as (
    select
        edges.industry_code,
        edges.parent_industry_code,
        edges.parent_industry_code = industries.primary_parent_industry_code
            as is_primary_link
    from edges
    inner join industries on edges.industry_code = industries.industry_code
    where edges.edge_status = 'edge'
),

paths (
    industry_code, ancestor_industry_code, distance, industry_path, industry_name_path,
    is_primary_path) as (
    select
        industry_code,
        industry_code,
        0,
        cast(industry_code as varchar),
        cast(industry_name as varchar),
        true
    from industries
    union all
    select
        paths.industry_code,
        kept_edges.parent_industry_code,
        paths.distance + 1,
        kept_edges.parent_industry_code || ' > ' || paths.industry_path,
        parents.industry_name || ' > ' || paths.industry_name_path,
        paths.is_primary_path and kept_edges.is_primary_link
    from paths
    inner join kept_edges on paths.ancestor_industry_code = kept_edges.industry_code
    inner join industries as parents
        on kept_edges.parent_industry_code = parents.industry_code
    where paths.distance < {{ max_depth }}
),

final as (
    select
        -- ids
        paths.industry_code,
        paths.ancestor_industry_code,
        -- strings
        paths.industry_path,
        paths.industry_name_path,
        -- numerics
        paths.distance,
        ancestors.industry_level as ancestor_industry_level,
        -- booleans
        paths.is_primary_path,
        ancestors.parent_count = 0 as is_from_top
    from paths
    inner join industries as ancestors
        on paths.ancestor_industry_code = ancestors.industry_code
)

select * from final
