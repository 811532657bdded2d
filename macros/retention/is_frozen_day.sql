{#- SQL: whether an aggregate's day `date_column` is frozen under `window`
    (event_retention_window): before frozen_before_date, so every event of
    it has aged out and an incremental run keeps the totals it counted.
    `false` when nothing is dropped. -#}
{% macro is_frozen_day(window, date_column) -%}
    {%- if window['frozen_before'] is none -%}
        false
    {%- else -%}
        coalesce({{ date_column }} < cast('{{ window['frozen_before'] }}' as date), false)
    {%- endif -%}
{%- endmacro %}
