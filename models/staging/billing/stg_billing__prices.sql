{#-
    One row per Stripe price: its state in the latest extract that contained
    it, whatever order the extracts landed in. is_hard_deleted: the price is
    missing from the latest complete full extract although it was seen
    before it.
-#}
with

daily as (
    select * from {{ ref('stg_billing__prices_daily') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'billing' and table_name = 'prices'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    -- a landed row with the id proves the price existed that day, even when
    -- the row itself was rejected
    select
        price_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_billing__prices') }}
    where price_id is not null
    group by price_id
),

latest as (
    select *
    from daily
    qualify row_number() over (
        partition by price_id
        order by extract_date desc
    ) = 1
),

final as (
    select
        -- ids
        latest.price_id,
        latest.product_id,
        -- strings
        latest.currency,
        latest.recurring_interval,
        -- numerics
        latest.unit_amount,
        latest.recurring_interval_count,
        -- booleans
        latest.is_active,
        coalesce(
            appearances.last_extract_date < last_full_extract.last_full_extract_date,
            false
        ) as is_hard_deleted,
        -- dates
        latest.extract_date,
        appearances.first_extract_date,
        appearances.last_extract_date,
        -- lineage
        latest.source_file
    from latest
    inner join appearances on latest.price_id = appearances.price_id
    cross join last_full_extract
)

select * from final
