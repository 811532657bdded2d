{#-
    One row per person, UTC day and device time zone: the identified
    person's consented events that day whose context.timezone parsed to a
    zone. The evidence for a company's inferred zone (a person-day counts
    once per zone, however many events it had) and the person's own zone.
    Additive per day, so an incremental build only recomputes the days new
    partitions touch.
-#}
with

messages as (
    select
        user_id,
        timezone,
        occurred_at
    from {{ ref('stg_events__messages_consented') }}
    where user_id is not null
        and timezone is not null
),

people as (
    select
        identifier_value as user_id,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type = 'user_id'
),

parsed_zones as (
    select
        raw_text,
        timezone
    from {{ ref('int_timezone_texts_parsed') }}
    where timezone is not null
),

person_days as (
    select
        people.person_key,
        cast(messages.occurred_at as date) as activity_date,
        parsed_zones.timezone,
        count(*) as event_count,
        min(messages.occurred_at) as first_event_at,
        max(messages.occurred_at) as last_event_at
    from messages
    inner join people
        on messages.user_id = people.user_id
    inner join parsed_zones
        on messages.timezone = parsed_zones.raw_text
    group by 1, 2, 3
),

final as (
    select
        -- keys
        person_key,
        -- strings
        timezone,
        -- numerics
        event_count,
        -- dates
        activity_date,
        -- timestamps (UTC)
        first_event_at,
        last_event_at
    from person_days
)

select * from final
