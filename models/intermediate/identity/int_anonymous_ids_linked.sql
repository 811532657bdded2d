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

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

anonymous_sightings as (
    select
        anonymous_id,
        occurred_at
    from messages where anonymous_id is not null
    union all
    select
        previous_id as anonymous_id,
        occurred_at
    from messages
    where message_type = 'alias' and previous_id is not null
),

seen as (
    select
        anonymous_id,
        min(occurred_at) as first_seen_at
    from anonymous_sightings
    group by anonymous_id
),

user_links as (
    select
        anonymous_id,
        user_id,
        occurred_at
    from messages
    where anonymous_id is not null and user_id is not null
    union all
    select
        previous_id as anonymous_id,
        user_id,
        occurred_at
    from messages
    where message_type = 'alias' and previous_id is not null and user_id is not null
),

first_links as (
    select
        anonymous_id,
        user_id,
        occurred_at as linked_at
    from user_links
    qualify row_number() over (
            partition by anonymous_id
            order by occurred_at, user_id
        ) = 1
),

user_counts as (
    select
        anonymous_id,
        count(distinct user_id) as linked_user_count
    from user_links
    group by anonymous_id
),

final as (
    select
        seen.anonymous_id,
        first_links.user_id,
        coalesce(user_counts.linked_user_count, 0) as linked_user_count,
        seen.first_seen_at,
        first_links.linked_at
    from seen
    left join first_links on seen.anonymous_id = first_links.anonymous_id
    left join user_counts on seen.anonymous_id = user_counts.anonymous_id
)

select * from final
