{#-
    A query (to use as a subquery) listing every time-zone name the engine's
    own conversion functions accept, as column `timezone_name`. The seed
    `timezones` is tested against it: a zone the seed offers but the engine
    cannot convert would fail at query time.
-#}
{% macro engine_timezone_names() -%}
    {{ return(adapter.dispatch('engine_timezone_names', 'customer360')()) }}
{%- endmacro %}

{% macro duckdb__engine_timezone_names() -%}
    select name as timezone_name from pg_timezone_names()
{%- endmacro %}
