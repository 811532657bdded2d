{#-
    One output row per element of a list column (in a select list); rows
    whose list is null or empty produce no row.
-#}
{% macro unnest_list(expr) -%}
    {{ return(adapter.dispatch('unnest_list', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(expr) -%}
    unnest({{ expr }})
{%- endmacro %}
