{#- The text at a JSONPath (`$.a.b`) of a JSON string; null when absent or not JSON. -#}
{% macro json_text(expr, path) -%}
    {{ return(adapter.dispatch('json_text', 'customer360')(expr, path)) }}
{%- endmacro %}

{% macro duckdb__json_text(expr, path) -%}
    json_extract_string(try_cast({{ expr }} as json), '{{ path }}')
{%- endmacro %}
