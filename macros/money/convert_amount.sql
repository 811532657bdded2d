{#-
    amount × rate as DECIMAL(18, 4), rounded: a money amount in the
    reporting currency. Widened first: DuckDB multiplies two DECIMAL(18)
    values in 64 bits and a 10-million amount times an 8-place rate would
    overflow. Null when either is null.
-#}
{% macro convert_amount(amount, rate) -%}
    cast(cast({{ amount }} as decimal(38, 10)) * {{ rate }} as decimal(18, 4))
{%- endmacro %}
