{#-
    One row per Stripe product: its state in the latest extract that
    contained it, whatever order the extracts landed in. is_hard_deleted: the
    product is missing from the latest complete full extract although it was
    seen before it.
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_billing__products_daily'),
        landed=ref('base_billing__products'),
        partitions=ref('landing_partitions'),
        id_column='product_id',
        system='billing',
        table_name='products',
        order_by='extract_date desc'
    ) }}
),

final as (
    select
        -- ids
        latest.product_id,
        -- strings
        latest.product_name,
        latest.plan,
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
