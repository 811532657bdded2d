{#-
    One row per contact version (Id, SystemModstamp), whatever order
    extracts landed in.
-#}
with

base as (
    select * from {{ ref('base_crm__contacts') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
    select
        -- ids
        contact_id,
        account_id,
        app_user_id,
        -- strings
        email,
        email_normalized,
        first_name,
        last_name,
        title,
        lead_source,
        -- booleans
        has_opted_out_of_email,
        is_deleted,
        -- dates
        extract_date,
        -- timestamps (UTC)
        created_at,
        last_modified_at,
        system_modified_at,
        -- lineage
        _file as source_file
    from base
)

select * from versions
