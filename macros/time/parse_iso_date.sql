{#-
    Text in the form YYYY-MM-DD -> a DATE; null when the text is null, in
    another form, or not a calendar date ('2026-02-30').
-#}
{% macro parse_iso_date(expr) -%}
    {{ return(adapter.dispatch('parse_iso_date', 'customer360')(expr)) }}
{%- endmacro %}

{% macro duckdb__parse_iso_date(expr) -%}
    case
        when regexp_full_match({{ expr }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
            then cast(try_strptime({{ expr }}, '%Y-%m-%d') as date)
    end
{%- endmacro %}
