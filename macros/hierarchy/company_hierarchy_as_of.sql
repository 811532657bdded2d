{#-
    One row per company known at `as_of` (see company_parent_edges_as_of for
    the argument; none = current state): parent, ultimate parent (its top,
    itself for a top), depth (0 = top) and the path of keys from the top
    down to the company joined by ' > '.

    Example, the hierarchy as it stood on 1 March 2026 (midnight UTC):

        select *
        from ({{ company_hierarchy_as_of("date '2026-03-01'") }}) as hierarchy
-#}
{% macro company_hierarchy_as_of(as_of=none) -%}
with

edges as (
    select
        company_key,
        parent_company_key
    from ({{ company_parent_edges_as_of(as_of) }}) as checked_edges
),

ancestors as (
    select
        company_key,
        ancestor_company_key,
        distance,
        hierarchy_path
    from ({{ company_ancestors_as_of(as_of) }}) as bridge
),

tops as (
    select
        company_key,
        ancestor_company_key as ultimate_parent_company_key,
        distance as hierarchy_depth,
        hierarchy_path
    from (
        select
            company_key,
            ancestor_company_key,
            distance,
            hierarchy_path,
            row_number() over (
                partition by company_key order by distance desc
            ) as distance_rank
        from ancestors
    ) as ranked
    where distance_rank = 1
)

select
    edges.company_key,
    edges.parent_company_key,
    tops.ultimate_parent_company_key,
    tops.hierarchy_depth,
    tops.hierarchy_path
from edges
inner join tops on edges.company_key = tops.company_key
{%- endmacro %}
