{#-
    One row per Stripe customer: its state in the latest extract that
    contained it, whatever order the extracts landed in. is_hard_deleted: the
    customer is missing from the latest complete full extract although it
    was seen before it (a full extract lists every customer that exists).
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_billing__customers_daily'),
        landed=ref('base_billing__customers'),
        partitions=ref('landing_partitions'),
        id_column='customer_id',
        system='billing',
        table_name='customers',
        order_by='extract_date desc'
    ) }}
),

final as (
    select
        -- ids
        latest.customer_id,
        latest.app_account_id,
        latest.crm_account_id,
        -- strings
        latest.email,
        latest.customer_name,
        latest.address_country,
        latest.currency,
        -- booleans
        latest.is_deleted,
        latest.is_hard_deleted,
        -- dates
        latest.extract_date,
        latest.first_extract_date,
        latest.last_extract_date,
        -- timestamps (UTC)
        latest.created_at,
        -- lineage
        latest.source_file
    from latest
)

select * from final
