{#-
    One row per node of the industry taxonomy: name, level, its parents
    (kept links of int_industry_edges only) and its primary parent, and how
    the node was judged (node_status):
      ok                           a sector without parents, or a node with
                                   at least one parent and one primary parent
      industry_without_parent      a node below level 1 with no (kept) parent:
                                   it rolls up to no sector
      ambiguous_primary_parent     several parents, but not exactly one
                                   marked is_primary_parent: the primary
                                   parent is the first marked one by code,
                                   else the first by code
-#}
with

nodes as (
    select * from {{ ref('stg_seeds__industry_taxonomy') }}
),

edges as (
    select * from {{ ref('int_industry_edges') }}
),

kept_edges as (
    select
        industry_code,
        parent_industry_code,
        is_primary_parent
    from edges
    where edge_status = 'edge'
),

parent_summary as (
    select
        industry_code,
        count(*) as parent_count,
        sum(case when is_primary_parent then 1 else 0 end) as primary_parent_count,
        {{ dbt.listagg('parent_industry_code', "', '", 'order by parent_industry_code') }}
            as parent_industry_codes
    from kept_edges
    group by industry_code
),

primary_parents as (
    select
        industry_code,
        parent_industry_code as primary_parent_industry_code
    from kept_edges
    qualify row_number() over (
            partition by industry_code
            order by is_primary_parent desc, parent_industry_code
        ) = 1
),

children as (
    select distinct parent_industry_code as industry_code
    from kept_edges
),

final as (
    select
        -- ids
        nodes.industry_code,
        primary_parents.primary_parent_industry_code,
        -- strings
        nodes.industry_name,
        nodes.description,
        parent_summary.parent_industry_codes,
        case
            when nodes.industry_level > 1 and parent_summary.industry_code is null
                then 'industry_without_parent'
            when parent_summary.parent_count > 1
                and parent_summary.primary_parent_count <> 1
                then 'ambiguous_primary_parent'
            else 'ok'
        end as node_status,
        case
            when nodes.industry_level > 1 and parent_summary.industry_code is null
                then nodes.industry_code || ' is level '
                    || cast(nodes.industry_level as varchar)
                    || ' but has no parent in industry_taxonomy_edges.csv (or none'
                    || ' that could be kept); its companies roll up to no sector'
            when parent_summary.parent_count > 1
                and parent_summary.primary_parent_count <> 1
                then nodes.industry_code || ' has '
                    || cast(parent_summary.parent_count as varchar) || ' parents ('
                    || parent_summary.parent_industry_codes || ') and '
                    || cast(parent_summary.primary_parent_count as varchar)
                    || ' marked is_primary_parent; '
                    || primary_parents.primary_parent_industry_code
                    || ' is used as the primary parent'
        end as detail,
        -- numerics
        nodes.industry_level,
        coalesce(parent_summary.parent_count, 0) as parent_count,
        -- booleans
        children.industry_code is null as is_leaf
    from nodes
    left join parent_summary on nodes.industry_code = parent_summary.industry_code
    left join primary_parents on nodes.industry_code = primary_parents.industry_code
    left join children on nodes.industry_code = children.industry_code
)

select * from final
