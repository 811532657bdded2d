{#-
    One row per contact: its latest version by SystemModstamp (ties: the
    later extract). is_hard_deleted: the contact is missing from the latest
    complete full extract although it was seen before it (a hard delete in
    Salesforce).
-#}
with

versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'crm' and table_name = 'contacts'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    select
        contact_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_crm__contacts') }}
    -- a row with a usable key shows the record exists in that extract,
    -- even if another of its fields made us reject it
    where contact_id is not null
    group by contact_id
),

latest as (
    select *
    from versions
    qualify row_number() over (
        partition by contact_id
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
    inner join appearances on latest.contact_id = appearances.contact_id
    cross join last_full_extract
)

select * from final
