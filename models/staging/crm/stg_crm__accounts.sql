{#-
    One row per account: its latest version by SystemModstamp (ties: the later
    extract). is_hard_deleted: the account is missing from the latest complete
    full extract although it was seen before it (a hard delete in Salesforce).
-#}
with

versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'crm' and table_name = 'accounts'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    select
        account_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_crm__accounts') }}
    -- a row with a usable key shows the record exists in that extract,
    -- even if another of its fields made us reject it
    where account_id is not null
    group by account_id
),

latest as (
    select *
    from versions
    qualify row_number() over (
        partition by account_id
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
    inner join appearances on latest.account_id = appearances.account_id
    cross join last_full_extract
)

select * from final
