{#-
    Delimited text -> a list of its items, each trimmed, empty items
    dropped ('a| b||' -> ['a', 'b']); null text gives an empty list.
-#}
{% macro split_to_list(expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_list', 'customer360')(expr, delimiter)) }}
{%- endmacro %}

{% macro duckdb__split_to_list(expr, delimiter) -%}
    list_filter(
        list_transform(
            string_split(coalesce({{ expr }}, ''), '{{ delimiter }}'),
            lambda item: trim(item)
        ),
        lambda item: item <> ''
    )
{%- endmacro %}
