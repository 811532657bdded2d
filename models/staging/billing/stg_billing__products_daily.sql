{#-
    One row per product per daily full extract: its state that day
    (history is built from these).
-#}
with

base as (
    select * from {{ ref('base_billing__products') }}
    where _reject_reason is null and not _is_duplicate
),

daily as (
    select
        -- ids
        product_id,
        -- strings
        product_name,
        plan,
        -- booleans
        is_active,
        -- dates
        extract_date,
        -- lineage
        _file as source_file
    from base
)

select * from daily
