{#-
    One row per user version (Id, SystemModstamp), whatever order
    extracts landed in.
-#}
with

base as (
    select * from {{ ref('base_crm__users') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
    select
        -- ids
        user_id,
        -- strings
        user_name,
        email,
        title,
        -- booleans
        is_active,
        -- dates
        extract_date,
        -- timestamps (UTC)
        last_modified_at,
        system_modified_at,
        -- lineage
        _file as source_file
    from base
)

select * from versions
