{#- An ISO-8601 string with `Z` or an offset -> UTC TIMESTAMP; null when unparseable. -#}
{% macro iso_to_utc(expr) -%}
    {{ return(adapter.dispatch('iso_to_utc', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__iso_to_utc(expr) -%}
    timezone('UTC', try_cast({{ expr }} as timestamptz))
{%- endmacro %}
