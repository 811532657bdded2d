{#-
    Join predicate: the row of int_company_timezones (aliased `zones`) in
    force at `instant`. The company's first interval also covers anything
    before its history began. Use with `company_key = zones.company_key`.
-#}
{% macro company_timezone_at(zones, instant) -%}
    ({{ zones }}.is_first or {{ instant }} >= {{ zones }}.valid_from)
    and ({{ zones }}.valid_to is null or {{ instant }} < {{ zones }}.valid_to)
{%- endmacro %}
