{#- Aggregate: the median of `expr` over the rows grouped, interpolated
    between the two middle values when their number is even (1, 2, 3, 10
    -> 2.5); nulls are ignored, null when there are no values. Dispatched. -#}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'customer360')(expr)) }}
{%- endmacro %}

{#- The SQL standard's ordered-set aggregate (Postgres, Snowflake, ...). -#}
{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}

{#- Spark's percentile is exact and interpolates as percentile_cont does. -#}
{% macro spark__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}
