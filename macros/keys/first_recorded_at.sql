{#-
    When a row was first recorded: for a table model that rebuilds in full
    but whose rows should keep the run that first wrote them (a log such as
    fct_attribute_changes). The model's SQL left-joins its own previous
    table as `alias` on the row's key and identical values, and this gives
    the previous recorded_at where the row was already there, else this
    run's start. Without a previous table (first build, --full-refresh, or
    an engine that cannot read a table while replacing it: Spark) every row
    is recorded by this run. Use `first_recorded_join` for the join.
-#}
{% macro first_recorded_at(alias) -%}
    {%- if first_recorded_relation() is not none -%}
        coalesce({{ alias }}.recorded_at, {{ run_started_at_utc() }})
    {%- else -%}
        {{ run_started_at_utc() }}
    {%- endif -%}
{%- endmacro %}


{#- `left join <previous table> as alias on ...` matching `rows` on every
    column in `columns` (null-safe), or nothing when there is no previous
    table to read (see first_recorded_at). -#}
{% macro first_recorded_join(rows, alias, columns) -%}
    {%- set previous = first_recorded_relation() -%}
    {%- if previous is not none -%}
        left join {{ previous }} as {{ alias }}
            on
            {%- for column in columns %}
                {{ 'and ' if not loop.first }}{{ rows }}.{{ column }} is not distinct from {{ alias }}.{{ column }}
            {%- endfor %}
    {%- endif -%}
{%- endmacro %}


{#- The model's own table from the previous run, when it can be read while
    the model is rebuilt. Dispatched: none on Spark. -#}
{% macro first_recorded_relation() -%}
    {{ return(adapter.dispatch('first_recorded_relation')()) }}
{%- endmacro %}

{% macro default__first_recorded_relation() -%}
    {%- if not execute or flags.FULL_REFRESH -%}{{ return(none) }}{%- endif -%}
    {%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if previous is none -%}{{ return(none) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(previous) | map(attribute='name') | list -%}
    {{ return(previous if 'recorded_at' in columns else none) }}
{%- endmacro %}

{% macro spark__first_recorded_relation() -%}
    {{ return(none) }}
{%- endmacro %}
