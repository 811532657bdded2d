{#-
    History of incomplete partitions, kept across runs and full refreshes
    (full_refresh: false), so `first_seen_at` says how long a partition has
    been stuck. Every run rewrites the rows it knows: partitions incomplete
    now get last_seen_at = this run and is_current = true; those that have
    since become complete (or vanished) keep their history with
    is_current = false.
-#}
{{ config(
    materialized='incremental',
    unique_key=['partition_path', 'reason'],
    incremental_strategy='delete+insert',
    full_refresh=false,
) }}

with

scanned as (
    select
        partition_path,
        system,
        table_name,
        extract_date,
        reason
    from {{ ref('landing_partitions') }}
    where status = 'incomplete'
),

{% if is_incremental() %}
known as (
    select
        partition_path,
        system,
        table_name,
        extract_date,
        reason,
        first_seen_at,
        last_seen_at
    from {{ this }}
),
{% else %}
    known as (
        select
            cast(null as varchar) as partition_path,
            cast(null as varchar) as system,
            cast(null as varchar) as table_name,
            cast(null as date) as extract_date,
            cast(null as varchar) as reason,
            cast(null as timestamp) as first_seen_at,
            cast(null as timestamp) as last_seen_at
        where false
    ),
{% endif %}

merged as (
    select
        coalesce(scanned.partition_path, known.partition_path) as partition_path,
        coalesce(scanned.system, known.system) as system,
        coalesce(scanned.table_name, known.table_name) as table_name,
        coalesce(scanned.extract_date, known.extract_date) as extract_date,
        coalesce(scanned.reason, known.reason) as reason,
        coalesce(
            known.first_seen_at,
            cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
        ) as first_seen_at,
        case
            when scanned.partition_path is not null
                then cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
            else known.last_seen_at
        end as last_seen_at,
        scanned.partition_path is not null as is_current
    from scanned
    full outer join known
        on scanned.partition_path = known.partition_path
        and scanned.reason = known.reason
)

select
    partition_path,
    system,
    table_name,
    extract_date,
    reason,
    first_seen_at,
    last_seen_at,
    is_current
from merged
