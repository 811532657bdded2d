{#-
    Join predicate: the row of int_person_company_windows (aliased
    `windows`) in force at `instant`. A window with a null valid_from (the
    time before a person's first membership) covers everything before its
    valid_to. Use with `person_key = windows.person_key`.
-#}
{% macro person_company_at(windows, instant) -%}
    ({{ windows }}.valid_from is null or {{ instant }} >= {{ windows }}.valid_from)
    and ({{ windows }}.valid_to is null or {{ instant }} < {{ windows }}.valid_to)
{%- endmacro %}
