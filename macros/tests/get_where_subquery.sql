{#-
    dbt's `where` test config, with one placeholder: `__run_started_at__`
    becomes this run's start (run_started_at_utc) when the test runs, so a
    test on an event-scale table can check only the rows this run wrote
    (`where: "_loaded_at = __run_started_at__"`). On a full build every row
    was written by the run, so every row is checked; on a nightly run the
    rows checked before and not rewritten since are not read again. (Jinja
    in a yml config would be rendered when the project is parsed, which
    partial parsing caches across runs: hence a placeholder.)
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set where = where | replace('__run_started_at__', run_started_at_utc()) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
