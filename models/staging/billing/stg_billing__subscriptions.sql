{#-
    One row per Stripe subscription: its state in the latest extract that
    contained it, whatever order the extracts landed in. is_hard_deleted: the
    subscription is missing from the latest complete full extract although
    it was seen before it.
-#}
with

daily as (
    select * from {{ ref('stg_billing__subscriptions_daily') }}
),

partitions as (
    select * from {{ ref('landing_partitions') }}
),

last_full_extract as (
    select max(extract_date) as last_full_extract_date
    from partitions
    where system = 'billing' and table_name = 'subscriptions'
        and status = 'complete' and load_mode = 'full'
),

appearances as (
    -- a landed row with the id proves the subscription existed that day,
    -- even when the row itself was rejected
    select
        subscription_id,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('base_billing__subscriptions') }}
    where subscription_id is not null
    group by subscription_id
),

latest as (
    select *
    from daily
    qualify row_number() over (
        partition by subscription_id
        order by extract_date desc
    ) = 1
),

final as (
    select
        -- ids
        latest.subscription_id,
        latest.customer_id,
        -- strings
        latest.status,
        latest.currency,
        -- booleans
        latest.is_cancel_at_period_end,
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
        latest.started_at,
        latest.current_period_start_at,
        latest.current_period_end_at,
        latest.canceled_at,
        latest.ended_at,
        latest.trial_start_at,
        latest.trial_end_at,
        -- lineage
        latest.source_file
    from latest
    inner join appearances on latest.subscription_id = appearances.subscription_id
    cross join last_full_extract
)

select * from final
