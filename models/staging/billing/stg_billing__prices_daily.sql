{#-
    One row per price per daily full extract: its state that day
    (history is built from these).
-#}
with

base as (
    select * from {{ ref('base_billing__prices') }}
    where _reject_reason is null and not _is_duplicate
),

daily as (
    select
        -- ids
        price_id,
        product_id,
        -- strings
        currency,
        recurring_interval,
        -- numerics
        unit_amount,
        recurring_interval_count,
        -- booleans
        is_active,
        -- dates
        extract_date,
        -- lineage
        _file as source_file
    from base
)

select * from daily
