{#-
    One row per subscription item per daily full extract: the `items` array
    of each subscription's state that day (parsed once, in the base model),
    one row per element.
-#}
with

base as (
    select * from {{ ref('base_billing__subscriptions') }}
    where _reject_reason is null and not _is_duplicate
),

unnested as (
    select
        subscription_id,
        extract_date,
        _file,
        {{ unnest_list('items') }} as item
    from base
),

items as (
    select
        -- ids
        item.id as item_id,
        subscription_id,
        item.price as price_id,
        -- numerics
        item.quantity as quantity,
        -- dates
        extract_date,
        -- lineage
        _file as source_file
    from unnested
)

select * from items
