{#-
    One row per subscription per daily full extract: its state that day
    (history is built from these).
-#}
with

base as (
    select * from {{ ref('base_billing__subscriptions') }}
    where _reject_reason is null and not _is_duplicate
),

daily as (
    select
        -- ids
        subscription_id,
        customer_id,
        -- strings
        status,
        currency,
        -- booleans
        is_cancel_at_period_end,
        -- dates
        extract_date,
        -- timestamps (UTC)
        created_at,
        started_at,
        current_period_start_at,
        current_period_end_at,
        canceled_at,
        ended_at,
        trial_start_at,
        trial_end_at,
        -- lineage
        _file as source_file
    from base
)

select * from daily
