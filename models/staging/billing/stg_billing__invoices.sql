{#-
    One row per Stripe invoice: its state in the latest extract that carried
    it (by extract_date, whatever order the extracts landed in).
-#}
with

versions as (
    select * from {{ ref('stg_billing__invoices_versions') }}
),

latest as (
    select *
    from versions
    qualify row_number() over (
            partition by invoice_id
            order by extract_date desc
        ) = 1
),

final as (
    select
        -- ids
        invoice_id,
        customer_id,
        subscription_id,
        -- strings
        status,
        currency,
        -- numerics (major units of `currency`)
        amount_due,
        amount_paid,
        total,
        -- dates
        extract_date,
        -- timestamps (UTC)
        period_start_at,
        period_end_at,
        created_at,
        -- lineage
        source_file
    from latest
)

select * from final
