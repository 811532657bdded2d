{#- A JSON string -> the JSON type; null when it is not valid JSON (null stays null). -#}
{% macro try_parse_json(expr) -%}
    {{ return(adapter.dispatch('try_parse_json', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__try_parse_json(expr) -%}
    try_cast({{ expr }} as json)
{%- endmacro %}
