{#-
    One row per invoice per extract it landed in (an incremental extract
    carries an invoice each day it changed): every state it was seen in,
    whatever order the extracts landed in.
-#}
with

base as (
    select * from {{ ref('base_billing__invoices') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
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
        _file as source_file
    from base
)

select * from versions
