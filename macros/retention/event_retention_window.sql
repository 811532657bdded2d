{#- The retention window of this run as literals, for models to render
    into their SQL (a literal date prunes hive partitions; a subquery would
    not): {'months', 'as_of', 'cutoff', 'frozen_before'}, dates as
    'YYYY-MM-DD' strings or none. Read from ops.landing_partitions, which
    runs before every model that filters on it (event_retention_dates).
    None for every date when retention is off, at parse time, in unit
    tests (their fixtures carry their own dates) and before the landing
    scan exists. -#}
{% macro event_retention_window() -%}
    {%- set months = event_retention_months() -%}
    {%- set window = {'months': months, 'as_of': none, 'cutoff': none, 'frozen_before': none} -%}
    {%- if not execute or months == 0 or model.resource_type == 'unit_test' -%}
        {{ return(window) }}
    {%- endif -%}
    {%- set node = graph.nodes['model.customer360.landing_partitions'] -%}
    {%- set scan = adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias
    ) -%}
    {%- if scan is none -%}{{ return(window) }}{%- endif -%}
    {%- set rows = run_query(
        'select cast(as_of_date as varchar), cast(cutoff_date as varchar),'
        ~ ' cast(frozen_before_date as varchar) from ('
        ~ event_retention_dates(scan, months) ~ ') as retention'
    ).rows -%}
    {%- if rows -%}
        {%- do window.update({'as_of': rows[0][0], 'cutoff': rows[0][1], 'frozen_before': rows[0][2]}) -%}
    {%- endif -%}
    {{ return(window) }}
{%- endmacro %}
