{#-
    One row per parent link of the industry taxonomy (seed
    industry_taxonomy_edges) and how it was judged (edge_status):
      edge                     kept
      unknown_industry_code    the node or its parent is not in the taxonomy: ignored
      industry_cycle           the link is on a cycle (a > b > a, or a node
                               that is its own parent): every link of the
                               cycle is ignored until the seed is fixed
      industry_level_mismatch  the parent is not exactly one level up: ignored
    The cycle search walks up the links carrying the visited path and stops
    at the first repeat (and after var('industry_max_depth') steps), so it
    ends on any input.
-#}
{%- set max_depth = var('industry_max_depth', 20) -%}
with recursive

nodes as (
    select * from {{ ref('stg_seeds__industry_taxonomy') }}
),

seed_edges as (
    select * from {{ ref('stg_seeds__industry_taxonomy_edges') }}
),

-- one row per link even if the seed repeats it (its own test reports that)
links as (
    select
        seed_edges.industry_code,
        seed_edges.parent_industry_code,
        {{ dbt.bool_or('seed_edges.is_primary_parent') }} as is_primary_parent,
        min(children.industry_level) as industry_level,
        min(parents.industry_level) as parent_industry_level,
        count(children.industry_code) > 0 as is_known_child,
        count(parents.industry_code) > 0 as is_known_parent
    from seed_edges
    left join nodes as children on seed_edges.industry_code = children.industry_code
    left join nodes as parents on seed_edges.parent_industry_code = parents.industry_code
    group by seed_edges.industry_code, seed_edges.parent_industry_code
),

known_links as (
    select
        industry_code,
        parent_industry_code
    from links
    where is_known_child and is_known_parent
),

-- from every link, walk up while the next node is new to the path
walk (start_code, first_parent_code, current_code, steps, visited, walk_path) as (
    select
        industry_code,
        parent_industry_code,
        parent_industry_code,
        1,
        '|' || industry_code || '|',
        industry_code || ' > ' || parent_industry_code
    from known_links
    union all
    select
        walk.start_code,
        walk.first_parent_code,
        known_links.parent_industry_code,
        walk.steps + 1,
        walk.visited || walk.current_code || '|',
        walk.walk_path || ' > ' || known_links.parent_industry_code
    from walk
    inner join known_links on walk.current_code = known_links.industry_code
    where position('|' || walk.current_code || '|' in walk.visited) = 0
        and walk.steps < {{ max_depth }}
),

-- a link is on a cycle when a walk that starts with it comes back to its node
cycles as (
    select
        start_code as industry_code,
        first_parent_code as parent_industry_code,
        walk_path as cycle_path
    from walk
    where current_code = start_code
    qualify row_number() over (
            partition by start_code, first_parent_code order by steps, walk_path
        ) = 1
),

final as (
    select
        -- ids
        links.industry_code,
        links.parent_industry_code,
        -- strings
        case
            when not (links.is_known_child and links.is_known_parent)
                then 'unknown_industry_code'
            when cycles.industry_code is not null then 'industry_cycle'
            when links.parent_industry_level <> links.industry_level - 1
                then 'industry_level_mismatch'
            else 'edge'
        end as edge_status,
        case
            when not (links.is_known_child and links.is_known_parent)
                then 'industry_taxonomy_edges.csv links ' || links.industry_code
                    || ' to the parent ' || links.parent_industry_code || ', but '
                    || case
                        when not links.is_known_child then links.industry_code
                        else links.parent_industry_code
                    end
                    || ' is not a code in industry_taxonomy.csv; the link is ignored'
            when cycles.industry_code is not null
                then 'the link ' || links.industry_code || ' -> '
                    || links.parent_industry_code || ' is on the cycle '
                    || cycles.cycle_path || '; every link of the cycle is ignored'
                    || ' until industry_taxonomy_edges.csv is fixed'
            when links.parent_industry_level <> links.industry_level - 1
                then links.industry_code || ' (level '
                    || cast(links.industry_level as varchar) || ') names '
                    || links.parent_industry_code || ' (level '
                    || cast(links.parent_industry_level as varchar)
                    || ') as its parent; a parent must be exactly one level up'
                    || ' (level ' || cast(links.industry_level - 1 as varchar)
                    || '); the link is ignored'
        end as detail,
        -- numerics
        links.industry_level,
        links.parent_industry_level,
        -- booleans
        coalesce(links.is_primary_parent, false) as is_primary_parent
    from links
    left join cycles
        on links.industry_code = cycles.industry_code
        and links.parent_industry_code = cycles.parent_industry_code
)

select * from final
