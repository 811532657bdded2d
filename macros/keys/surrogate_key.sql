{#-
    A deterministic varchar key: `prefix` followed by the first 16 hex digits
    of md5 over the fields joined with '|' (nulls as empty strings). The same
    values give the same key on any machine, in any run.
-#}
{% macro surrogate_key(prefix, fields) -%}
    {{ return(adapter.dispatch('surrogate_key', 'customer360')(prefix, fields)) }}
{%- endmacro %}

{% macro default__surrogate_key(prefix, fields) -%}
    '{{ prefix }}' || left(
        md5(
            {%- for field in fields %}
            coalesce(cast({{ field }} as varchar), '')
            {%- if not loop.last %} || '|' ||{% endif %}
            {%- endfor %}
        ),
        16
    )
{%- endmacro %}
