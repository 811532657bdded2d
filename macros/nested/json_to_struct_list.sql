{#-
    A JSON array of objects (text) -> a typed list of structs, parsed once:
    `fields` maps each field to its SQL type, e.g.
    {'id': 'varchar', 'price': 'varchar', 'quantity': 'bigint'}. A field
    missing from an element, or not convertible to its type, is null. The result is null
    when the text is null, not valid JSON or not an array (callers turn that
    into an 'invalid JSON' reject).
-#}
{% macro json_to_struct_list(expr, fields) -%}
    {{ return(adapter.dispatch('json_to_struct_list', 'customer360')(expr, fields)) }}
{%- endmacro %}

{% macro duckdb__json_to_struct_list(expr, fields) -%}
    {%- set structure = [] -%}
    {%- for name, type in fields.items() -%}
        {%- do structure.append('"' ~ name ~ '":"' ~ type | upper ~ '"') -%}
    {%- endfor -%}
    case
        when json_type(try_cast({{ expr }} as json)) = 'ARRAY'
            then from_json(
                try_cast({{ expr }} as json),
                '[{{ '{' ~ structure | join(',') ~ '}' }}]'
            )
    end
{%- endmacro %}
