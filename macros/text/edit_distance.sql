{#- Levenshtein distance between two strings (insertions, deletions, substitutions). -#}
{% macro edit_distance(left_expr, right_expr) -%}
    {{ return(adapter.dispatch('edit_distance', 'customer360')(left_expr, right_expr)) }}
{%- endmacro %}

{% macro duckdb__edit_distance(left_expr, right_expr) -%}
    levenshtein({{ left_expr }}, {{ right_expr }})
{%- endmacro %}
