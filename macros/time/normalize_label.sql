{#-
    Free text typed by a person -> a lookup key: lower case, trimmed, runs of
    white space collapsed to one space, the Unicode minus sign read as `-`.
    Used to match time-zone and country names against the alias seeds.
-#}
{% macro normalize_label(expr) -%}
    {{ return(adapter.dispatch('normalize_label', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__normalize_label(expr) -%}
    nullif(lower(trim(regexp_replace(replace({{ expr }}, '−', '-'), '\s+', ' ', 'g'))), '')
{%- endmacro %}
