{#-
    One row per UTC day, message type and event name: how many messages
    arrived, with and without analytics consent. No person, company or
    device id: the spec allows messages without consent only in such
    anonymous totals.
-#}
with

messages as (
    select
        message_type,
        event_name,
        has_analytics_consent,
        occurred_at
    from {{ ref('stg_events__messages') }}
),

final as (
    select
        cast(occurred_at as date) as occurred_date,
        message_type,
        event_name,
        cast(count(*) as bigint) as message_count,
        cast(sum(case when has_analytics_consent then 1 else 0 end) as bigint)
            as consented_message_count,
        cast(sum(case when has_analytics_consent then 0 else 1 end) as bigint)
            as unconsented_message_count
    from messages
    group by cast(occurred_at as date), message_type, event_name
)

select * from final
