{#-
    Incremental base models (see the doc block landing_incremental).

    A base model reads only the partitions of its landing table that it has
    not loaded with their current fingerprint, replaces what a re-landed
    partition brought, and decides _is_duplicate for the keys those rows
    touch against the copies already kept, without re-reading history. The
    result is the same table a full build gives (tests/functional/
    test_incremental.py).

    Use, in a base model:
        {{ config(**landing_base_config()) }}
        {%- set plan = landing_load_plan('events', 'messages') %}
        source as (
            select * from {{ source('events', 'messages') }}
            where {{ landing_partition_filter(plan) }}
        ),
        ... typed, checked, and a CTE with the model's final columns ...
        {{ landing_deduplicated('final', plan) }}
-#}

{#- The materialization settings every base model shares: partitions are
    replaced whole (delete+insert by extract_date on DuckDB, insert_overwrite
    of the extract_date partition on Spark), then rows whose partition is no
    longer landed with the same fingerprint are dropped. -#}
{% macro landing_base_config() -%}
    {{ return(adapter.dispatch('landing_base_config')()) }}
{%- endmacro %}

{% macro default__landing_base_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'extract_date',
        'on_schema_change': 'fail',
        'post_hook': ["{{ landing_delete_unlanded() }}"],
    }) }}
{%- endmacro %}

{% macro spark__landing_base_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': ['extract_date'],
        'file_format': 'parquet',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}


{#- Which partitions this run loads and which it drops, from the landing scan
    and the (extract_date, fingerprint) pairs the model already holds:
    {'load': [dates], 'replace': [dates], 'model': base model name}, where `replace` is `load` plus the
    dates loaded before that are no longer landed. `load` also holds the
    partitions an erasure being applied reloads (privacy.erasure_partitions,
    doc block `erasure`). Empty lists on a full
    build (everything is read) and at parse time.
    `retained_from` (a 'YYYY-MM-DD' cut-off, events only: doc block
    `event_retention`): partitions before it are never loaded, and those
    still held are replaced (by nothing: their rows are deleted, and the
    copies of their keys in later partitions decided again). -#}
{% macro landing_load_plan(system, table, retained_from=none) -%}
    {%- set plan = {'load': [], 'replace': [], 'model': none, 'retained_from': retained_from} -%}
    {%- for source_table, base in landing_base_models() -%}
        {%- if source_table == system ~ '/' ~ table -%}{%- do plan.update({'model': base}) -%}{%- endif -%}
    {%- endfor -%}
    {%- if execute and is_incremental() -%}
        {%- set partitions = landing_partitions_relation() -%}
        {%- set erasure_partitions = erasure_relation('erasure_partitions') -%}
        {%- set erasure_requests = erasure_relation('erasure_requests') -%}
        {%- set query -%}
            with

            landed as (
                select distinct extract_date, fingerprint
                from {{ partitions }}
                where system = '{{ system }}' and table_name = '{{ table }}'
                    and status = 'complete' and extract_date is not null
                    {%- if retained_from is not none %}
                    and extract_date >= cast('{{ retained_from }}' as date)
                    {%- endif %}
            ),

            loaded as (
                select distinct extract_date, _partition_fingerprint as fingerprint
                from {{ this }}
            ),

            to_load as (
                select extract_date from landed
                where not exists (
                    select 1 from loaded
                    where loaded.extract_date = landed.extract_date
                        and loaded.fingerprint = landed.fingerprint
                )
                {%- if erasure_partitions is not none and erasure_requests is not none %}
                -- partitions holding rows of a person whose erasure is being applied
                or extract_date in (
                    select erasure_partitions.extract_date
                    from {{ erasure_partitions }} as erasure_partitions
                    inner join {{ erasure_requests }} as erasure_requests
                        on erasure_partitions.request_id = erasure_requests.request_id
                    where erasure_requests.status = 'resolved'
                        and erasure_partitions.base_model = '{{ plan.model }}'
                )
                {%- endif %}
            ),

            -- partitions before the retention cut-off count as not landed
            gone as (
                select extract_date from loaded
                where not exists (
                    select 1 from landed
                    where landed.extract_date = loaded.extract_date
                        and landed.fingerprint = loaded.fingerprint
                )
            )

            select 'load' as action, extract_date from to_load
            union all
            select 'replace' as action, extract_date from to_load
            union all
            select 'replace' as action, extract_date from gone
            order by 1, 2
        {%- endset -%}
        {%- for row in run_query(query).rows -%}
            {%- if row[1] | string not in plan[row[0]] -%}
                {%- do plan[row[0]].append(row[1] | string) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}


{#- A date list as SQL: (date '2026-01-01', ...), or a list that matches
    nothing. -#}
{% macro landing_date_list(dates) -%}
    {%- if dates | length == 0 -%}
        (cast(null as date))
    {%- else -%}
        ({% for d in dates %}cast('{{ d }}' as date){{ ", " if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}


{#- The source filter: on an incremental run only the partitions to load
    (hive partition pruning skips every other file); on a full build all,
    or all from the plan's retention cut-off on. -#}
{% macro landing_partition_filter(plan) -%}
    {%- if is_incremental() -%}
        extract_date in {{ landing_date_list(plan['load']) }}
    {%- elif plan.get('retained_from') is not none -%}
        extract_date >= cast('{{ plan['retained_from'] }}' as date)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- The last steps of a base model: `rows` (a CTE with the model's columns,
    _reject_reason among them, without _is_duplicate) gains _is_duplicate by
    the model's rule in landing_dedup_rules: among the valid copies of one
    key, every copy but the one kept is a duplicate.

    Full build: one window over every landed row.
    Incremental run: the window runs only over the keys the loaded rows (and
    the rows being replaced) carry, with the copies of those keys already
    held; a held partition where a copy changes state (a backfilled
    partition brings an earlier copy of a message) is rewritten from the
    table itself, with only those copies' flags changed. Ends with the
    model's final select. -#}
{% macro landing_deduplicated(rows, plan) -%}
    {#- the model by name from the plan: unit tests render without `this` -#}
    {%- set rule = landing_dedup_rules()[plan['model']] -%}
    {%- set keys = rule['keys'] -%}
    {%- set order_by = rule['order_by'] | join(', ') -%}
    {%- set position = ['extract_date', '_file', '_file_row'] -%}
    {%- set key_match = [] -%}
    {%- for k in keys -%}{%- do key_match.append('held.' ~ k ~ ' = touched.' ~ k) -%}{%- endfor -%}
    {%- set ranking -%}
        row_number() over (
            partition by {{ keys | join(', ') }}
            order by {{ order_by }}
        ) > 1
    {%- endset -%}
    {%- if is_incremental() -%}
        {%- set columns = [] -%}
        {%- for c in adapter.get_columns_in_relation(this) -%}
            {%- if c.name not in ['_is_duplicate', '_loaded_at'] -%}{%- do columns.append(adapter.quote(c.name)) -%}{%- endif -%}
        {%- endfor -%}
        {%- set replaced = landing_date_list(plan['replace']) -%}
        {%- set order_columns = [] -%}
        {%- for term in rule['order_by'] -%}
            {%- set column = term.split(' ')[0] -%}
            {%- if column not in keys and column not in position -%}{%- do order_columns.append(column) -%}{%- endif -%}
        {%- endfor -%}
        {%- set carried = (keys + order_columns + position) | join(', ') -%}
-- the keys whose copies this run may decide differently: those the loaded
-- rows carry and those of the rows being replaced
touched as (
    select distinct {{ keys | join(', ') }}
    from {{ rows }}
    where _reject_reason is null
    union
    select distinct {{ keys | join(', ') }}
    from {{ this }}
    where extract_date in {{ replaced }} and _reject_reason is null
),

-- the copies of those keys the table already holds outside the replaced
-- partitions
held as (
    select
        {% for c in (keys + order_columns + position) %}held.{{ c }},
        {% endfor %}held._is_duplicate as _was_duplicate
    from {{ this }} as held
    inner join touched
        on {{ key_match | join(' and ') }}
    where held.extract_date not in {{ replaced }} and held._reject_reason is null
),

copies as (
    select {{ carried }}, cast(null as boolean) as _was_duplicate, true as _is_loaded
    from {{ rows }}
    where _reject_reason is null
    union all
    select {{ carried }}, _was_duplicate, false as _is_loaded
    from held
),

ranked as (
    select
        _file,
        _file_row,
        extract_date,
        _is_loaded,
        _was_duplicate,
        {{ ranking }} as _is_duplicate
    from copies
),

-- held partitions where a copy changes state
flipped as (
    select distinct extract_date
    from ranked
    where not _is_loaded and _is_duplicate <> _was_duplicate
),

deduplicated as (
    select
        {% for c in columns %}loaded.{{ c }},
        {% endfor %}coalesce(ranked._is_duplicate, false) as _is_duplicate,
        {{ run_started_at_utc() }} as _loaded_at
    from {{ rows }} as loaded
    left join ranked
        on ranked._is_loaded
            and ranked._file = loaded._file
            and ranked._file_row = loaded._file_row
    union all
    select
        {% for c in columns %}kept.{{ c }},
        {% endfor %}coalesce(ranked._is_duplicate, kept._is_duplicate) as _is_duplicate,
        case
            when ranked._is_duplicate <> kept._is_duplicate then {{ run_started_at_utc() }}
            else kept._loaded_at
        end as _loaded_at
    from {{ this }} as kept
    left join ranked
        on not ranked._is_loaded
            and ranked._file = kept._file
            and ranked._file_row = kept._file_row
    where kept.extract_date in (select extract_date from flipped)
)
    {%- else %}
deduplicated as (
    select
        *,
        _reject_reason is null and row_number() over (
            partition by _reject_reason is null, {{ keys | join(', ') }}
            order by {{ order_by }}
        ) > 1 as _is_duplicate,
        {{ run_started_at_utc() }} as _loaded_at
    from {{ rows }}
)
    {%- endif %}

select * from deduplicated
{%- endmacro %}


{#- Post-hook: drop the rows of partitions that are no longer landed with
    the fingerprint they were loaded with (a partition removed, turned
    incomplete, or re-landed with no rows). After delete+insert this leaves
    exactly the landed partitions. -#}
{% macro landing_delete_unlanded() -%}
    {%- if is_incremental() -%}
        {%- set system, table = landing_source_of(this.identifier) -%}
        delete from {{ this }} as unlanded
        where not exists (
            select 1
            from {{ landing_partitions_relation() }} as landed
            where landed.system = '{{ system }}' and landed.table_name = '{{ table }}'
                and landed.status = 'complete'
                and landed.extract_date = unlanded.extract_date
                and landed.fingerprint = unlanded._partition_fingerprint
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- ops.landing_partitions, looked up in the graph rather than ref'd: a base
    model already depends on it through landing_views, and a ref only used
    on incremental runs would be one dbt cannot see at parse time (and one
    more fixture for every unit test). -#}
{% macro landing_partitions_relation() -%}
    {{ return(graph.nodes['model.customer360.landing_partitions'].relation_name) }}
{%- endmacro %}


{#- The (system, table) a base model loads, from landing_base_models. -#}
{% macro landing_source_of(model_name) -%}
    {%- for source_table, base in landing_base_models() -%}
        {%- if base == model_name -%}
            {{ return(source_table.split('/')) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(model_name ~ ' is not a base model in landing_base_models') }}
{%- endmacro %}
