{#- True when the string is valid JSON (null stays null). -#}
{% macro is_valid_json(expr) -%}
    {{ return(adapter.dispatch('is_valid_json', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__is_valid_json(expr) -%}
    json_valid({{ expr }})
{%- endmacro %}
