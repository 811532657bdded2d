{#-
    Fails with every row for which `expression` is not true (false or null).
    Use the test's `where` config to restrict the rows checked.
-#}
{% test expression_is_true(model, expression) -%}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{%- endtest %}
