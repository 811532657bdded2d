{#- How many months of events the warehouse keeps (doc block
    `event_retention`): `$C360_EVENT_RETENTION_MONTHS` when set, else
    var('event_retention_months') (25). 0, or the var set empty, keeps
    everything. Returns an integer; anything else stops the build. A unit
    test reads the var alone (its overrides), never the environment. -#}
{% macro event_retention_months() -%}
    {%- set text = '' if model.resource_type == 'unit_test'
        else env_var('C360_EVENT_RETENTION_MONTHS', '') | trim -%}
    {%- if text == '' -%}
        {%- set text = var('event_retention_months', 25) | string | trim -%}
    {%- endif -%}
    {%- if text in ('', 'None', 'none', 'null') -%}{{ return(0) }}{%- endif -%}
    {%- if not text.isdigit() -%}
        {{ exceptions.raise_compiler_error(
            'event retention ' ~ text ~ ' is not a whole number of months'
            ~ ' (C360_EVENT_RETENTION_MONTHS or var event_retention_months; 0 keeps everything)'
        ) }}
    {%- endif -%}
    {{ return(text | int) }}
{%- endmacro %}
