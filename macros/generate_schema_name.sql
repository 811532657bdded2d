{#-
    dbt's own hook, overridden so a folder's `+schema` is the schema's whole
    name (`staging`, `marts`, ...) instead of dbt's `<target schema>_staging`.
    Models without a `+schema` land in the target schema (`main`).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
