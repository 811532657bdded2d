{#- Post-hook of an event-level incremental table: delete the rows no
    longer retained (is_retained_event over `occurred_at` and, if given,
    `extract_date`), without treating them as removed data. Nothing on a
    full build (its input is already retained) or when nothing is
    dropped. On Spark (Parquet has no row-level delete) nothing: the event
    facts are full tables there, and the base table drops aged-out rows on
    the next full refresh. -#}
{% macro delete_aged_out_events(occurred_at, extract_date=none) -%}
    {{ return(adapter.dispatch('delete_aged_out_events')(occurred_at, extract_date)) }}
{%- endmacro %}

{% macro spark__delete_aged_out_events(occurred_at, extract_date=none) -%}
    select 1
{%- endmacro %}

{% macro default__delete_aged_out_events(occurred_at, extract_date=none) -%}
    {%- set window = event_retention_window() -%}
    {%- if is_incremental() and window['cutoff'] is not none -%}
        delete from {{ this }}
        where not {{ is_retained_event(window, occurred_at, extract_date) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
