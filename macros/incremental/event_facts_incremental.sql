{#-
    Helpers of the incremental models built on the events (doc block
    `events_incremental`): int_events_attributed, which records what it
    changed, and the daily facts that rebuild only the groups those changes
    touch.
-#}

{#- Materialization of an incremental event fact: delete+insert on its key
    on DuckDB; a full table on Spark, where Parquet tables have no row-level
    delete (the fact is rebuilt in full there, with the same result). -#}
{% macro event_fact_config(unique_key) -%}
    {{ return(adapter.dispatch('event_fact_config')(unique_key)) }}
{%- endmacro %}

{% macro default__event_fact_config(unique_key) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__event_fact_config(unique_key) -%}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{%- endmacro %}


{#- The latest value of `column` in this model's table, as a timestamp
    literal: what the model's last run that wrote anything had seen. An
    incremental run processes what changed after it. Before the table
    exists (and at parse time) the earliest timestamp. -#}
{% macro incremental_watermark(column) -%}
    {%- set since = none -%}
    {%- if execute and is_incremental() -%}
        {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- if column not in held -%}
            {{ exceptions.raise_compiler_error(
                this ~ ' was built by an earlier version, without ' ~ column
                ~ ': rebuild it once with c360 refresh --full-refresh'
            ) }}
        {%- endif -%}
        {%- set rows = run_query(
            'select cast(max(' ~ column ~ ') as varchar) from ' ~ this
        ).rows -%}
        {%- set since = rows[0][0] if rows else none -%}
    {%- endif -%}
    {{ return("cast('" ~ (since or '1900-01-01 00:00:00') ~ "' as timestamp)") }}
{%- endmacro %}


{#- Whether the changes int_events_attributed recorded after `since` can be
    applied group by group: false when a message changed twice since then
    (its state in between, which a daily fact last counted, is no longer
    known), and the daily fact must then be rebuilt in full. Runs a query;
    true at parse time. -#}
{% macro event_changes_are_complete(since) -%}
    {%- if not (execute and is_incremental()) -%}{{ return(true) }}{%- endif -%}
    {%- set rows = run_query(
        'select count(*) from ' ~ ref('int_events_attributed')
        ~ ' where _attributed_at > ' ~ since ~ ' and _previous_attributed_at > ' ~ since
    ).rows -%}
    {{ return(rows[0][0] == 0) }}
{%- endmacro %}


{#- Post-hook of an incremental daily fact: delete the groups a run
    recounted to nothing (written with zero counts so that delete+insert
    removes the old row). Nothing on a full build. -#}
{% macro delete_empty_groups(condition) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ condition }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- The body after a `states` CTE (input, input_key, state) of an
    append-only input change log (int_event_attribution_input_changes,
    int_feature_usage_input_changes): each input's state is hashed and
    compared with the last state the log recorded for it; a run appends
    the inputs whose hash changed, and a null hash for those gone. A full
    build records every input. Columns: input, input_key, state_hash,
    recorded_at (the run's start). -#}
{% macro input_change_log(states) -%}
hashed as (
    select
        input,
        input_key,
        {{ dbt.hash('state') }} as state_hash
    from {{ states }}
),

{% if is_incremental() %}
-- the state each input had at its last recorded change
recorded as (
    select
        input,
        input_key,
        state_hash
    from {{ this }}
    qualify row_number() over (
            partition by input, input_key
            order by recorded_at desc
        ) = 1
),

changed as (
    select
        hashed.input,
        hashed.input_key,
        hashed.state_hash
    from hashed
    left join recorded
        on hashed.input = recorded.input
        and hashed.input_key = recorded.input_key
    where recorded.state_hash is null
        or recorded.state_hash <> hashed.state_hash
    union all
    select
        recorded.input,
        recorded.input_key,
        cast(null as varchar) as state_hash
    from recorded
    where recorded.state_hash is not null
        and not exists (
            select 1
            from hashed
            where hashed.input = recorded.input
                and hashed.input_key = recorded.input_key
        )
),
{% else %}
changed as (
    select
        input,
        input_key,
        state_hash
    from hashed
),
{% endif %}

final as (
    select
        cast(input as varchar) as input,
        cast(input_key as varchar) as input_key,
        cast(state_hash as varchar) as state_hash,
        {{ run_started_at_utc() }} as recorded_at
    from changed
)

select * from final
{%- endmacro %}


{#- Whether the event dictionary changed after `since`
    (int_feature_usage_input_changes records it): the facts that classify
    events by it are then recounted in full. Runs a query; false at parse
    time. The calling model declares `-- depends_on:` the change log. -#}
{% macro event_dictionary_changed(since) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set rows = run_query(
        'select count(*) from ' ~ ref('int_feature_usage_input_changes')
        ~ " where input = 'event_dictionary' and recorded_at > " ~ since
    ).rows -%}
    {{ return(rows[0][0] > 0) }}
{%- endmacro %}
