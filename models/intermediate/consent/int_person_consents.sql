{#-
    One row per person with at least one message of theirs (a message with
    their user_id, or without a user_id but with an anonymous id linked to
    them): whether their latest message (occurred_at, then received_at,
    then message_id) gave analytics consent. It reads every message,
    consented or not, to honour a refusal, and keeps nothing from them but
    that flag and when it was given (doc block `export_consent_rules`).
-#}
with

messages as (
    select
        message_id,
        user_id,
        anonymous_id,
        has_analytics_consent,
        occurred_at,
        received_at
    from {{ ref('stg_events__messages') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type in ('user_id', 'anonymous_id')
),

user_messages as (
    select
        identifiers.person_key,
        messages.message_id,
        messages.has_analytics_consent,
        messages.occurred_at,
        messages.received_at
    from messages
    inner join identifiers
        on identifiers.identifier_type = 'user_id'
        and messages.user_id = identifiers.identifier_value
),

-- a device the person is known by, before (or without) logging in
device_messages as (
    select
        identifiers.person_key,
        messages.message_id,
        messages.has_analytics_consent,
        messages.occurred_at,
        messages.received_at
    from messages
    inner join identifiers
        on identifiers.identifier_type = 'anonymous_id'
        and messages.anonymous_id = identifiers.identifier_value
    where messages.user_id is null
),

person_messages as (
    select * from user_messages
    union all
    select * from device_messages
),

latest as (
    select
        person_key,
        has_analytics_consent,
        occurred_at
    from person_messages
    qualify row_number() over (
            partition by person_key
            order by occurred_at desc, received_at desc, message_id desc
        ) = 1
),

final as (
    select
        -- keys
        person_key,
        -- booleans
        has_analytics_consent,
        -- timestamps (UTC)
        occurred_at as latest_message_at
    from latest
)

select * from final
