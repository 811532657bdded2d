{#-
    Fails with one row per combination of `combination_of_columns` that occurs
    more than once in the model. Nulls group together, so two rows that are
    both null in a column count as the same combination.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) -%}
    {%- if combination_of_columns is string
        or combination_of_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_of_columns: combination_of_columns must be a"
            ~ " non-empty list of columns, got " ~ combination_of_columns
        ) }}
    {%- endif -%}
    {%- set columns_csv = combination_of_columns | join(', ') -%}

    select
        {{ columns_csv }},
        count(*) as n_records
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{%- endtest %}
