{#-
    One row per subscription item per billing extract: the item's price, the
    price's product and the product's plan (`metadata.plan`), each as of that
    extract. Prices and products are full daily tables too; their state on
    the item's extract date is used (the earliest known state before a price
    or product was first extracted). plan is null when the price is unknown
    or its product has no plan (ops.data_issues reports both).
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

prices_daily as (
    select
        price_id,
        product_id,
        extract_date
    from {{ ref('stg_billing__prices_daily') }}
),

products_daily as (
    select
        product_id,
        nullif(lower(trim(plan)), '') as plan,
        extract_date
    from {{ ref('stg_billing__products_daily') }}
),

-- a price's product as runs of extracts with the same product
price_changes as (
    select
        *,
        lag(product_id) over (
            partition by price_id order by extract_date
        ) as previous_product_id,
        row_number() over (
            partition by price_id order by extract_date
        ) as state_number
    from prices_daily
),

price_runs as (
    select
        price_id,
        product_id,
        -- the first known state also stands for the time before it
        case when state_number > 1 then extract_date end as run_from_date,
        lead(extract_date) over (
            partition by price_id order by extract_date
        ) as run_to_date
    from price_changes
    where state_number = 1 or product_id is distinct from previous_product_id
),

-- a product's plan as runs of extracts with the same plan
product_changes as (
    select
        *,
        lag(plan) over (
            partition by product_id order by extract_date
        ) as previous_plan,
        row_number() over (
            partition by product_id order by extract_date
        ) as state_number
    from products_daily
),

product_runs as (
    select
        product_id,
        plan,
        case when state_number > 1 then extract_date end as run_from_date,
        lead(extract_date) over (
            partition by product_id order by extract_date
        ) as run_to_date
    from product_changes
    where state_number = 1 or plan is distinct from previous_plan
),

final as (
    select
        -- ids
        items.subscription_id,
        items.item_id,
        items.price_id,
        price_runs.product_id,
        -- strings
        product_runs.plan,
        -- numerics
        items.quantity,
        -- dates
        items.extract_date
    from items
    left join price_runs
        on items.price_id = price_runs.price_id
        and (price_runs.run_from_date is null or price_runs.run_from_date <= items.extract_date)
        and (price_runs.run_to_date is null or items.extract_date < price_runs.run_to_date)
    left join product_runs
        on price_runs.product_id = product_runs.product_id
        and (product_runs.run_from_date is null or product_runs.run_from_date <= items.extract_date)
        and (product_runs.run_to_date is null or items.extract_date < product_runs.run_to_date)
)

select * from final
