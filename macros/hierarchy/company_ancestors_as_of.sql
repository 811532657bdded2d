{#-
    The ancestor bridge as of `as_of` (see company_parent_edges_as_of for the
    argument): one row per (company_key, ancestor_company_key) with distance
    0 for the company itself, 1 for its parent, ... up to its top; plus
    hierarchy_path, the keys from that ancestor down to the company joined by
    ' > '. Cycles and dangling parents are already broken in the edges; the
    walk still carries its path, stops at a repeat and at
    var('hierarchy_max_depth'), so it ends on any input.

    Example, roll-up of one ancestor's subtree as of 1 March 2026:

        select bridge.ancestor_company_key, count(*) as companies
        from ({{ company_ancestors_as_of("date '2026-03-01'") }}) as bridge
        group by bridge.ancestor_company_key
-#}
{% macro company_ancestors_as_of(as_of=none) -%}
{%- set max_depth = var('hierarchy_max_depth', 100) -%}
with recursive

edges as (
    select
        company_key,
        parent_company_key
    from ({{ company_parent_edges_as_of(as_of) }}) as checked_edges
),

ancestors (company_key, ancestor_company_key, distance, hierarchy_path) as (
    select
        company_key,
        company_key,
        0,
        cast(company_key as varchar)
    from edges
    union all
    select
        ancestors.company_key,
        edges.parent_company_key,
        ancestors.distance + 1,
        edges.parent_company_key || ' > ' || ancestors.hierarchy_path
    from ancestors
    inner join edges on ancestors.ancestor_company_key = edges.company_key
    where edges.parent_company_key is not null
        and ancestors.distance < {{ max_depth }}
        and position(
            ' > ' || edges.parent_company_key || ' > '
            in ' > ' || ancestors.hierarchy_path || ' > '
        ) = 0
)

select
    company_key,
    ancestor_company_key,
    distance,
    hierarchy_path
from ancestors
{%- endmacro %}
