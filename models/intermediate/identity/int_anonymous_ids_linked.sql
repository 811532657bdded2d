{#-
    One row per anonymous id seen in events (anonymousId, or an alias
    call's previousId): the FIRST user it was linked to, by occurred_at
    (ties: the smaller user_id), by any message carrying both userId and
    anonymousId (identify, track, page, ...) or an alias call (previousId ->
    userId). user_id is null while no message links it. linked_user_count
    > 1 means a shared device: its events still go to the first user only.
    Only messages with analytics consent link or are seen (doc block
    `analytics_consent_door`): a refused message links nothing.
-#}
with

-- every (anonymous id, user) pair a message shows, the user null where
-- the message carries none: anonymousId, and an alias call's previousId.
-- Each branch reads the messages table itself, so its filter reaches the
-- scan.
sightings as (
    select
        anonymous_id,
        user_id,
        occurred_at
    from {{ ref('stg_events__messages_consented') }}
    where anonymous_id is not null
    union all
    select
        previous_id as anonymous_id,
        user_id,
        occurred_at
    from {{ ref('stg_events__messages_consented') }}
    where message_type = 'alias' and previous_id is not null
),

-- one pass over the messages: each pair once, with its first time
pairs as (
    select
        anonymous_id,
        user_id,
        min(occurred_at) as first_at
    from sightings
    group by anonymous_id, user_id
),

seen as (
    select
        anonymous_id,
        min(first_at) as first_seen_at,
        count(user_id) as linked_user_count
    from pairs
    group by anonymous_id
),

first_links as (
    select
        anonymous_id,
        user_id,
        first_at as linked_at
    from pairs
    where user_id is not null
    qualify row_number() over (
            partition by anonymous_id
            order by first_at, user_id
        ) = 1
),

final as (
    select
        seen.anonymous_id,
        first_links.user_id,
        seen.linked_user_count,
        seen.first_seen_at,
        first_links.linked_at
    from seen
    left join first_links on seen.anonymous_id = first_links.anonymous_id
)

select * from final
