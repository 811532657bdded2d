{#- One row per account version (Id, SystemModstamp), whatever order extracts landed in. -#}
with

base as (
    select * from {{ ref('base_crm__accounts') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
    select
        -- ids
        account_id,
        parent_account_id,
        owner_user_id,
        csm_user_id,
        app_account_id,
        -- strings
        account_name,
        website,
        industry,
        billing_country,
        billing_state,
        billing_city,
        account_source,
        account_type,
        time_zone_text,
        -- numerics
        employee_count,
        annual_revenue,
        -- booleans
        is_deleted,
        -- dates
        contract_signed_date,
        onboarding_completed_date,
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
