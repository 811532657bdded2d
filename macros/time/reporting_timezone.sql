{#-
    The reporting zone: the one zone internal dashboards read every mart in
    (UTC unless set). `$C360_REPORTING_TIMEZONE` wins over var('reporting_timezone').
    Returns the zone name as a quoted SQL literal.
-#}
{% macro reporting_timezone() -%}
    {%- set zone = env_var('C360_REPORTING_TIMEZONE', '') or var('reporting_timezone', 'UTC') -%}
    '{{ zone | replace("'", "''") }}'
{%- endmacro %}
