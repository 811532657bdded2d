{#-
    One row per subscription per complete extract of subscriptions from
    its first sighting on, numbered in extract order: the timeline that MRR
    windows and plan windows are cut from. Its status, whether that status
    counts in MRR (var('mrr_counted_subscription_statuses')), its MRR then (the sum of
    its items' item_mrr; items with an mrr_issue left out), its currency,
    the Stripe times that can date a change, and the instant the extract
    describes (extracted_at). A full extract after the first sighting that
    does not hold the subscription is an `absent` row (a hard delete): it
    counts nothing. A landed row that was rejected is neither: its state is
    unknown, so the extract is skipped for that subscription.
-#}
{%- set counted = var('mrr_counted_subscription_statuses') %}
with

subscriptions_daily as (
    select
        subscription_id,
        customer_id,
        status,
        currency,
        is_cancel_at_period_end,
        extract_date,
        created_at,
        started_at,
        current_period_start_at,
        current_period_end_at,
        canceled_at,
        ended_at,
        trial_end_at
    from {{ ref('stg_billing__subscriptions_daily') }}
),

item_mrr as (
    select
        subscription_id,
        extract_date,
        sum(item_mrr) as mrr,
        count(*) as item_count,
        sum(case when mrr_issue is null then 0 else 1 end) as item_issue_count
    from {{ ref('int_subscription_item_mrr') }}
    group by subscription_id, extract_date
),

landed as (
    select distinct
        subscription_id,
        extract_date
    from {{ ref('base_billing__subscriptions') }}
    where subscription_id is not null
),

partitions as (
    select
        extract_date,
        load_mode,
        -- a full extract holds the rows that exist at extracted_at
        coalesce(
            extracted_at, {{ dbt.dateadd('day', 1, 'cast(extract_date as timestamp)') }}
        ) as extracted_at
    from {{ ref('landing_partitions') }}
    where system = 'billing'
        and table_name = 'subscriptions'
        and status = 'complete'
),

first_landed as (
    select
        subscription_id,
        min(extract_date) as first_extract_date
    from landed
    group by subscription_id
),

absences as (
    select
        first_landed.subscription_id,
        partitions.extract_date
    from first_landed
    inner join partitions
        on partitions.load_mode = 'full'
        and partitions.extract_date > first_landed.first_extract_date
    left join landed
        on first_landed.subscription_id = landed.subscription_id
        and partitions.extract_date = landed.extract_date
    where landed.subscription_id is null
),

observations as (
    select
        subscriptions_daily.subscription_id,
        subscriptions_daily.customer_id,
        subscriptions_daily.status,
        subscriptions_daily.currency,
        subscriptions_daily.is_cancel_at_period_end,
        subscriptions_daily.extract_date,
        subscriptions_daily.created_at,
        subscriptions_daily.started_at,
        subscriptions_daily.current_period_start_at,
        subscriptions_daily.current_period_end_at,
        subscriptions_daily.canceled_at,
        subscriptions_daily.ended_at,
        subscriptions_daily.trial_end_at,
        subscriptions_daily.status in (
            {%- for status in counted %}
                '{{ status }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_counted_status,
        coalesce(item_mrr.mrr, 0) as items_mrr,
        coalesce(item_mrr.item_count, 0) as item_count,
        coalesce(item_mrr.item_issue_count, 0) as item_issue_count
    from subscriptions_daily
    left join item_mrr
        on subscriptions_daily.subscription_id = item_mrr.subscription_id
        and subscriptions_daily.extract_date = item_mrr.extract_date
    union all
    select
        subscription_id,
        cast(null as varchar) as customer_id,
        'absent' as status,
        cast(null as varchar) as currency,
        cast(null as boolean) as is_cancel_at_period_end,
        extract_date,
        cast(null as timestamp) as created_at,
        cast(null as timestamp) as started_at,
        cast(null as timestamp) as current_period_start_at,
        cast(null as timestamp) as current_period_end_at,
        cast(null as timestamp) as canceled_at,
        cast(null as timestamp) as ended_at,
        cast(null as timestamp) as trial_end_at,
        false as is_counted_status,
        0 as items_mrr,
        0 as item_count,
        0 as item_issue_count
    from absences
),

final as (
    select
        -- ids
        observations.subscription_id,
        observations.customer_id,
        -- strings
        observations.status,
        observations.currency,
        -- numerics
        cast(
            case when observations.is_counted_status then observations.items_mrr else 0 end
            as decimal(18, 4)
        ) as mrr,
        cast(observations.items_mrr as decimal(18, 4)) as items_mrr,
        cast(observations.item_count as bigint) as item_count,
        cast(observations.item_issue_count as bigint) as item_issue_count,
        cast(
            row_number() over (
                partition by observations.subscription_id
                order by observations.extract_date
            ) as bigint
        ) as observation_number,
        -- booleans
        observations.is_counted_status,
        observations.is_cancel_at_period_end,
        -- dates
        observations.extract_date,
        -- timestamps (UTC)
        partitions.extracted_at,
        observations.created_at,
        observations.started_at,
        observations.current_period_start_at,
        observations.current_period_end_at,
        observations.canceled_at,
        observations.ended_at,
        observations.trial_end_at
    from observations
    inner join partitions on observations.extract_date = partitions.extract_date
)

select * from final
