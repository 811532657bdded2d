{#-
    Parse a JSON value ONCE into a struct holding only the fields named in
    `structure`, typed; read the fields with dot notation afterwards
    (`fields.campaign.source`) instead of extracting path by path, which
    re-parses the JSON for every field.

    structure: a dict of JSON key -> SQL type name or a nested dict, e.g.
      {'timezone': 'varchar', 'campaign': {'source': 'varchar'}}
    Keys match exactly (case-sensitive). An absent key, a value of another
    JSON shape or a value that does not cast to the type gives null. `expr`
    must be valid JSON or null (see try_parse_json): a JSON null gives null.
-#}
{% macro json_to_struct(expr, structure) -%}
    {{ return(adapter.dispatch('json_to_struct', 'customer360')(expr, structure)) }}
{%- endmacro %}

{% macro duckdb__json_to_struct(expr, structure) -%}
    json_transform({{ expr }}, '{{ tojson(structure) }}')
{%- endmacro %}
