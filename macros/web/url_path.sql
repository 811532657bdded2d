{#-
    The path of an absolute URL (`https://host/a/b?q=1#f` -> `/a/b`), without
    query or fragment; null when the URL is null, not absolute or has no path.
-#}
{% macro url_path(expr) -%}
    {{ return(adapter.dispatch('url_path', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__url_path(expr) -%}
    nullif(
        regexp_extract({{ expr }}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1),
        ''
    )
{%- endmacro %}
