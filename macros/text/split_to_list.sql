{#- Text -> a list of the pieces between `separator` (a SQL string literal); null stays null. -#}
{% macro split_to_list(expr, separator) -%}
    {{ return(adapter.dispatch('split_to_list', 'customer360')(expr, separator)) }}
{%- endmacro %}

{% macro duckdb__split_to_list(expr, separator) -%}
    string_split({{ expr }}, {{ separator }})
{%- endmacro %}
