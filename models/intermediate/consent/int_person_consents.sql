{#-
    One row per person with at least one message of theirs (a message with
    their user_id, or without a user_id but with an anonymous id linked to
    them): whether their latest message (occurred_at, then received_at,
    then message_id) gave analytics consent. It reads every message,
    consented or not, to honour a refusal, and keeps nothing from them but
    that flag and when it was given (doc block `export_consent_rules`).

    A message without consent carries no id, only consent_subject_hash (the
    keyed hash of its user id, else its anonymous id): it is matched by
    hashing the distinct user ids and anonymous ids identity knows.
-#}
with

messages as (
    select
        message_id,
        user_id,
        anonymous_id,
        consent_subject_hash,
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

-- each value hashed once, however many people or types share it
identifier_values as (
    select distinct identifier_value
    from identifiers
),

hashed_values as (
    select
        identifier_value,
        {{ identifier_hash('identifier_value') }} as identifier_hash
    from identifier_values
),

hashed_identifiers as (
    select
        identifiers.person_key,
        hashed_values.identifier_hash
    from identifiers
    inner join hashed_values
        on identifiers.identifier_value = hashed_values.identifier_value
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

-- a refusal: its hash is of the user id when the message had one, else of
-- the anonymous id, so it matches the same person the ids would have
-- (unless one person's anonymous id were another's user id, text for text)
refused_messages as (
    select distinct
        hashed_identifiers.person_key,
        messages.message_id,
        messages.has_analytics_consent,
        messages.occurred_at,
        messages.received_at
    from messages
    inner join hashed_identifiers
        on messages.consent_subject_hash = hashed_identifiers.identifier_hash
    where not messages.has_analytics_consent
),

person_messages as (
    select * from user_messages
    union all
    select * from device_messages
    union all
    select * from refused_messages
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
