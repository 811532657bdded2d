{#-
    One row per Stripe price: its state in the latest extract that contained
    it, whatever order the extracts landed in. is_hard_deleted: the price is
    missing from the latest complete full extract although it was seen
    before it.
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_billing__prices_daily'),
        landed=ref('base_billing__prices'),
        partitions=ref('landing_partitions'),
        id_column='price_id',
        system='billing',
        table_name='prices',
        order_by='extract_date desc'
    ) }}
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
        latest.is_hard_deleted,
        -- dates
        latest.extract_date,
        latest.first_extract_date,
        latest.last_extract_date,
        -- lineage
        latest.source_file
    from latest
)

select * from final
