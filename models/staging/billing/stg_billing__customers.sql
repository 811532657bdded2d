{#-
    One row per Stripe customer: its state in the latest extract that
    contained it, whatever order the extracts landed in. is_hard_deleted: the
    customer is missing from the latest complete full extract although it
    was seen before it (a full extract lists every customer that exists).
-#}
with

daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'billing' and table_name = 'customers'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    -- a landed row with the id proves the customer existed that day, even
    -- when the row itself was rejected
    select
        customer_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_billing__customers') }}
    where customer_id is not null
    group by customer_id
),

latest as (
    select *
    from daily
    qualify row_number() over (
        partition by customer_id
        order by extract_date desc
    ) = 1
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
        coalesce(
            appearances.last_extract_date < last_full_extract.last_full_extract_date,
            false
        ) as is_hard_deleted,
        -- dates
        latest.extract_date,
        appearances.first_extract_date,
        appearances.last_extract_date,
        -- timestamps (UTC)
        latest.created_at,
        -- lineage
        latest.source_file
    from latest
    inner join appearances on latest.customer_id = appearances.customer_id
    cross join last_full_extract
)

select * from final
