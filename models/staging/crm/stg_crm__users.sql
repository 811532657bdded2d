{#-
    One row per user: its latest version by SystemModstamp (ties: the later
    extract). is_hard_deleted: the user is missing from the latest complete
    full extract although it was seen before it (a hard delete in
    Salesforce).
-#}
with

versions as (
    select * from {{ ref('stg_crm__users_versions') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'crm' and table_name = 'users'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    select
        user_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_crm__users') }}
    -- a row with a usable key shows the record exists in that extract,
    -- even if another of its fields made us reject it
    where user_id is not null
    group by user_id
),

latest as (
    select *
    from versions
    qualify row_number() over (
        partition by user_id
        order by system_modified_at desc, extract_date desc
    ) = 1
),

final as (
    select
        latest.*,
        appearances.first_extract_date,
        appearances.last_extract_date,
        coalesce(
            appearances.last_extract_date < last_full_extract.last_full_extract_date,
            false
        ) as is_hard_deleted
    from latest
    inner join appearances on latest.user_id = appearances.user_id
    cross join last_full_extract
)

select * from final
