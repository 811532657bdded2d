{#-
    A UTC TIMESTAMP -> the wall-clock TIMESTAMP in the reporting zone
    (macro reporting_timezone). Any model can render an instant this way.
-#}
{% macro to_reporting_zone(expr) -%}
    {{ utc_to_local(expr, reporting_timezone()) }}
{%- endmacro %}
