{#- A pre-hook for a model that moved out of `old_schema` (the export marts
    left `marts` for `personal`): drops the copy an older build left there,
    so publish, which copies every table of `marts`, cannot copy it to the
    analytics file. Does nothing when there is no such copy. -#}
{% macro drop_moved_relation(old_schema) -%}
    {%- if execute and old_schema != this.schema -%}
        {%- set old = adapter.get_relation(this.database, old_schema, this.identifier) -%}
        {%- if old is not none -%}
            {%- do adapter.drop_relation(old) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
