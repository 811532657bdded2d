{#-
    A free-text label (e.g. the CRM's Industry) -> its comparison key:
    lower-case, with every space (also no-break spaces), `-`, `_` and `.`
    removed, so "Fin Tech", "fintech" and "FIN-TECH" compare equal. The
    Python seed checker (c360.seeds.values.label_key) applies the same rule.
-#}
{% macro label_key(expr) -%}
    {{ return(adapter.dispatch('label_key', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__label_key(expr) -%}
    regexp_replace(lower({{ expr }}), '[\s\x{00A0}._-]', '', 'g')
{%- endmacro %}
