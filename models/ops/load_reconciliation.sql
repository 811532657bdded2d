{#-
    Per partition: rows landed = loaded + rejected + duplicates dropped +
    erased (rows of a person erased on request, withheld from the load:
    doc block `erasure`) (+ events aged out under retention, doc block
    `event_retention`). Complete partitions are counted from their base
    model; incomplete ones were never read (loaded = 0) and keep the
    manifest's promise as landed.
-#}
{%- set retention = event_retention_window() %}
with

partitions as (
    select * from {{ ref('landing_partitions') }}
),

withheld as (
    select * from {{ ref('stg_privacy__withheld_rows') }}
),

{% for source_table, model in landing_base_models() %}
    {{ model }} as (
        select
            '{{ source_table }}' as source_table,
            extract_date,
            count(*) as read_rows,
            count(*) filter (where _reject_reason is null and not _is_duplicate) as loaded_rows,
            count(*) filter (where _reject_reason is not null) as rejected_rows,
            count(*) filter (where _reject_reason is null and _is_duplicate) as duplicate_rows
        from {{ ref(model) }}
        group by extract_date
    ),
{% endfor %}

counted as (
    {% for source_table, model in landing_base_models() %}
        select * from {{ model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

reconciled as (
    select
        partitions.system || '/' || partitions.table_name as source_table,
        partitions.system,
        partitions.table_name,
        partitions.extract_date,
        partitions.partition_path,
        partitions.status,
        coalesce(partitions.file_row_count, partitions.manifest_row_count, 0) as landed_rows,
        coalesce(counted.read_rows, 0) as read_rows,
        coalesce(counted.loaded_rows, 0) as loaded_rows,
        coalesce(counted.rejected_rows, 0) as rejected_rows,
        coalesce(counted.duplicate_rows, 0) as duplicate_rows,
        coalesce(withheld.withheld_rows, 0) as erased_rows,
        -- events/messages rows retention keeps out of staging: whatever
        -- was landed and is not held
        case
            when {{ 'false' if retention['cutoff'] is none else 'true' }}
                and partitions.status = 'complete'
                and partitions.system = 'events'
                and partitions.table_name = 'messages'
                then greatest(
                        coalesce(partitions.file_row_count, partitions.manifest_row_count, 0)
                        - coalesce(counted.read_rows, 0)
                        - coalesce(withheld.withheld_rows, 0),
                        0
                    )
            else 0
        end as aged_out_rows
    from partitions
    left join counted
        on counted.source_table = partitions.system || '/' || partitions.table_name
        and counted.extract_date = partitions.extract_date
        and partitions.status = 'complete'
    left join withheld
        on withheld.source_table = partitions.system || '/' || partitions.table_name
        and withheld.extract_date = partitions.extract_date
        and partitions.status = 'complete'
)

select
    source_table,
    system,
    table_name,
    extract_date,
    partition_path,
    status,
    landed_rows,
    loaded_rows,
    rejected_rows,
    duplicate_rows,
    erased_rows,
    aged_out_rows,
    status = 'complete'
    and landed_rows = read_rows + erased_rows + aged_out_rows
    and read_rows = loaded_rows + rejected_rows + duplicate_rows as is_reconciled
from reconciled
