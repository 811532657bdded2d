{#-
    The domain of a website as people type it (`https://www.Acme.example/x`,
    `acme.example`, `www.acme.example:8080`) -> `acme.example`: lower case,
    without scheme, `www.`, port, path, query or fragment; null for null or
    blank. Dispatched.
-#}
{% macro website_domain(expr) -%}
    {{ return(adapter.dispatch('website_domain', 'customer360')(expr)) }}
{%- endmacro %}

{% macro default__website_domain(expr) -%}
    nullif(
        regexp_replace(
            regexp_replace(lower(trim({{ expr }})), '^[a-z]+://', ''),
            '^www\.|[/:?#].*$', '', 'g'
        ),
        ''
    )
{%- endmacro %}

{#- Spark's regexp_replace replaces every match (no flags argument). -#}
{% macro spark__website_domain(expr) -%}
    nullif(
        regexp_replace(
            regexp_replace(lower(trim({{ expr }})), '^[a-z]+://', ''),
            '^www\\.|[/:?#].*$', ''
        ),
        ''
    )
{%- endmacro %}
