{#-
    One row per Stripe subscription: its state in the latest extract that
    contained it, whatever order the extracts landed in. is_hard_deleted: the
    subscription is missing from the latest complete full extract although
    it was seen before it.
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_billing__subscriptions_daily'),
        landed=ref('base_billing__subscriptions'),
        partitions=ref('landing_partitions'),
        id_column='subscription_id',
        system='billing',
        table_name='subscriptions',
        order_by='extract_date desc'
    ) }}
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
        latest.is_hard_deleted,
        -- dates
        latest.extract_date,
        latest.first_extract_date,
        latest.last_extract_date,
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
)

select * from final
