{#-
    One row per message WITH analytics consent: the door every model that
    builds identity, history or time-zone evidence from events reads
    (doc block `analytics_consent_door`). A message without consent
    creates no person, link, membership, trait or version.
-#}
with

messages as (
    select * from {{ ref('stg_events__messages') }}
),

consented as (
    select * from messages
    where has_analytics_consent
)

select * from consented
