{#- A UTC TIMESTAMP -> the wall-clock TIMESTAMP in an IANA zone (always unambiguous). -#}
{% macro utc_to_local(expr, zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'customer360')(expr, zone)) }}
{%- endmacro %}

{% macro duckdb__utc_to_local(expr, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ expr }}))
{%- endmacro %}
