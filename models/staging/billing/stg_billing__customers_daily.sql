{#-
    One row per customer per daily full extract: its state that day
    (history is built from these).
-#}
with

base as (
    select * from {{ ref('base_billing__customers') }}
    where _reject_reason is null and not _is_duplicate
),

daily as (
    select
        -- ids
        customer_id,
        app_account_id,
        crm_account_id,
        -- strings
        email,
        customer_name,
        address_country,
        currency,
        -- booleans
        is_deleted,
        -- dates
        extract_date,
        -- timestamps (UTC)
        created_at,
        -- lineage
        _file as source_file
    from base
)

select * from daily
