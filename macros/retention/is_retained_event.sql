{#- SQL: whether an event row is kept under `window` (event_retention_window):
    it occurred on or after the cut-off date (UTC midnight) and, when
    `extract_date` is given, its partition is not older either. A row whose
    time is unknown (a rejected row) goes by its partition. `true` when
    nothing is dropped. -#}
{% macro is_retained_event(window, occurred_at, extract_date=none) -%}
    {%- if window['cutoff'] is none -%}
        true
    {%- else -%}
        (coalesce({{ occurred_at }} >= cast('{{ window['cutoff'] }}' as timestamp), true)
        {%- if extract_date is not none %}
            and {{ extract_date }} >= cast('{{ window['cutoff'] }}' as date)
        {%- endif %})
    {%- endif -%}
{%- endmacro %}
