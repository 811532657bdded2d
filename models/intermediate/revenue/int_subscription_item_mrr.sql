{#-
    One row per subscription item per billing extract: the item's monthly
    recurring revenue in the subscription's currency (major units), or why
    it cannot count (mrr_issue, then item_mrr is null and the item is left
    out of MRR while the subscription's other items count). Rules: doc
    block `mrr_rules`. The price is its state in the same extract, else its
    latest known state (a price's amount and interval never change in
    Stripe; only `active` does).
-#}
with

items as (
    select
        subscription_id,
        item_id,
        price_id,
        quantity,
        extract_date
    from {{ ref('stg_billing__subscription_items_daily') }}
),

subscriptions as (
    select
        subscription_id,
        currency,
        extract_date
    from {{ ref('stg_billing__subscriptions_daily') }}
),

prices_daily as (
    select
        price_id,
        currency,
        unit_amount,
        recurring_interval,
        recurring_interval_count,
        extract_date
    from {{ ref('stg_billing__prices_daily') }}
),

prices_latest as (
    select
        price_id,
        currency,
        unit_amount,
        recurring_interval,
        recurring_interval_count
    from {{ ref('stg_billing__prices') }}
),

priced as (
    select
        items.subscription_id,
        items.item_id,
        items.price_id,
        items.quantity,
        items.extract_date,
        subscriptions.currency as subscription_currency,
        coalesce(same_day.price_id, latest.price_id) as known_price_id,
        coalesce(same_day.currency, latest.currency) as price_currency,
        coalesce(same_day.unit_amount, latest.unit_amount) as unit_amount,
        coalesce(same_day.recurring_interval, latest.recurring_interval) as recurring_interval,
        coalesce(same_day.recurring_interval_count, latest.recurring_interval_count)
            as recurring_interval_count
    from items
    inner join subscriptions
        on items.subscription_id = subscriptions.subscription_id
        and items.extract_date = subscriptions.extract_date
    left join prices_daily as same_day
        on items.price_id = same_day.price_id
        and items.extract_date = same_day.extract_date
    left join prices_latest as latest
        on items.price_id = latest.price_id
),

-- intervals a month holds, as a fraction: a month 1/count, a year
-- 1/(12 count), a week 52/(12 count), a day 365/(12 count)
intervals as (
    select
        *,
        case recurring_interval
            when 'month' then 1
            when 'year' then 1
            when 'week' then 52
            when 'day' then 365
        end as intervals_numerator,
        case recurring_interval
            when 'month' then recurring_interval_count
            when 'year' then 12 * recurring_interval_count
            when 'week' then 12 * recurring_interval_count
            when 'day' then 12 * recurring_interval_count
        end as intervals_denominator
    from priced
),

checked as (
    select
        *,
        case
            when price_id is null or known_price_id is null then 'missing_price'
            when (price_currency is distinct from subscription_currency) then 'currency_mismatch'
            when recurring_interval is null then 'price_without_interval'
            when intervals_numerator is null or not (recurring_interval_count >= 1)
                then 'price_without_interval'
            when unit_amount is null then 'price_without_amount'
            when quantity is null then 'missing_quantity'
            when quantity < 0 then 'negative_quantity'
        end as mrr_issue
    from intervals
),

final as (
    select
        -- ids
        subscription_id,
        item_id,
        price_id,
        -- strings
        subscription_currency as currency,
        price_currency,
        recurring_interval,
        mrr_issue,
        -- numerics
        quantity,
        unit_amount,
        recurring_interval_count,
        cast(intervals_denominator as double) / intervals_numerator as interval_months,
        case
            when mrr_issue is null
                then cast(
                        quantity * unit_amount * intervals_numerator / intervals_denominator
                        as decimal(18, 4)
                    )
        end as item_mrr,
        -- dates
        extract_date
    from checked
)

select * from final
