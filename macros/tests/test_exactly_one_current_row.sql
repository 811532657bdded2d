{#-
    Fails with one row per partition that does not have exactly one current
    row. A row is current when `current_flag` is true or, without a flag,
    when `valid_to` is null.
-#}
{% test exactly_one_current_row(
    model, partition_by, current_flag=none, valid_to=none
) -%}
    {%- if current_flag is none and valid_to is none -%}
        {{ exceptions.raise_compiler_error(
            "exactly_one_current_row: give current_flag or valid_to"
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string
        else partition_by -%}
    {%- set partition_csv = partition_columns | join(', ') -%}
    {%- set is_current = current_flag if current_flag is not none
        else valid_to ~ ' is null' -%}

select
    {{ partition_csv }},
    count(case when {{ is_current }} then 1 end) as current_rows
from {{ model }}
group by {{ partition_csv }}
having count(case when {{ is_current }} then 1 end) <> 1
{%- endtest %}
