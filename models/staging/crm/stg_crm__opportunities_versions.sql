{#-
    One row per opportunity version (Id, SystemModstamp), whatever order
    extracts landed in.
-#}
with

base as (
    select * from {{ ref('base_crm__opportunities') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
    select
        -- ids
        opportunity_id,
        account_id,
        -- strings
        opportunity_name,
        stage_name,
        opportunity_type,
        currency_code,
        -- numerics
        amount,
        -- booleans
        is_closed,
        is_won,
        is_deleted,
        -- dates
        close_date,
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
