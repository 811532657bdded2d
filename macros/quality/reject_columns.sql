{#-
    Three columns naming the first check a row fails, for ops.rejected_rows:
    `_reject_column` (the source column), `_reject_value` (its raw value as
    text) and `_reject_reason`; all null when the row passes every check.

    checks: a list of dicts, in priority order:
      {'fails': '<SQL condition true when the row is bad>',
       'column': '<source column name>',
       'value': '<SQL expression for the raw value>',
       'reason': '<what is wrong, in words>'}
-#}
{% macro reject_columns(checks) -%}
    case
    {%- for check in checks %}
        when {{ check.fails }} then '{{ check.column }}'
    {%- endfor %}
    end as _reject_column,
    case
    {%- for check in checks %}
        when {{ check.fails }} then cast({{ check.value }} as varchar)
    {%- endfor %}
    end as _reject_value,
    case
    {%- for check in checks %}
        when {{ check.fails }} then '{{ check.reason }}'
    {%- endfor %}
    end as _reject_reason
{%- endmacro %}
