{#-
    A select of the dim_companies_history rows valid at instant `as_of` (a
    SQL expression: a timestamp literal, a column, current_timestamp): one
    row per company that existed then, as we now know it was then. See the
    doc block `company_as_of` for an example.
-#}
{% macro company_as_of(as_of) -%}
    select *
    from {{ ref('dim_companies_history') }}
    where valid_from <= cast({{ as_of }} as timestamp)
        and (valid_to is null or cast({{ as_of }} as timestamp) < valid_to)
{%- endmacro %}
