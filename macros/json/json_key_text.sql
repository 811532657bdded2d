{#-
    The text of a top-level key of a JSON value, where the key is a SQL
    expression (a column): null when the key is absent, its value is JSON
    null, or the value is not JSON. json_text takes a literal path instead.
-#}
{% macro json_key_text(expr, key_expr) -%}
    {{ return(adapter.dispatch('json_key_text', 'customer360')(expr, key_expr)) }}
{%- endmacro %}

{% macro duckdb__json_key_text(expr, key_expr) -%}
    json_extract_string(try_cast({{ expr }} as json), '$."' || {{ key_expr }} || '"')
{%- endmacro %}
