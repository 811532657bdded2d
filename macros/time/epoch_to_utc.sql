{#- Epoch seconds (UTC) -> UTC TIMESTAMP; null when not a number. -#}
{% macro epoch_to_utc(expr) -%}
    {{ return(adapter.dispatch('epoch_to_utc', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__epoch_to_utc(expr) -%}
    try(make_timestamp(try_cast({{ expr }} as bigint) * 1000000))
{%- endmacro %}
