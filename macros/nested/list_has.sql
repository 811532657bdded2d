{#-
    True when a list column holds the value; false when it does not or the
    list is null (never null itself).
-#}
{% macro list_has(list_expr, value_expr) -%}
    {{ return(adapter.dispatch('list_has', 'customer360')(list_expr, value_expr)) }}
{%- endmacro %}

{% macro duckdb__list_has(list_expr, value_expr) -%}
    coalesce(list_contains({{ list_expr }}, {{ value_expr }}), false)
{%- endmacro %}
