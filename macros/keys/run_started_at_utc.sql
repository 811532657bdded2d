{#- The dbt run's start time as a UTC TIMESTAMP literal (the same for every model of a run). -#}
{% macro run_started_at_utc() -%}
    cast('{{ run_started_at.astimezone(modules.pytz.utc).strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
