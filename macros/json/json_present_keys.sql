{#-
    The top-level keys of a JSON object whose value is present: neither JSON
    null nor blank text (the same test as a missing property read with
    json_key_text). An empty list for any other JSON value; null stays null.
-#}
{% macro json_present_keys(expr) -%}
    {{ return(adapter.dispatch('json_present_keys', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__json_present_keys(expr) -%}
    list_filter(
        json_keys({{ expr }}),
        lambda present_key: nullif(trim(
            {{ json_key_text(expr, 'present_key') }}
        ), '') is not null
    )
{%- endmacro %}
