{#-
    One row per person with consented events: first and last event, the
    company of the latest one, and the first campaign (UTM) any of their
    events carried. One pass over the attributed events, grouped by person,
    for the marts that describe people and companies (customer_360) so
    they never scan the events themselves.
-#}
with

events as (
    select
        person_key,
        company_key,
        local_date,
        occurred_at,
        message_id,
        campaign_source,
        campaign_medium,
        campaign_name
    from {{ ref('int_events_attributed') }}
    where not coalesce(_is_removed, false)
        and person_key is not null
),

per_person as (
    select
        person_key,
        count(*) as event_count,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from events
    group by person_key
),

latest_events as (
    select
        person_key,
        company_key as last_company_key,
        local_date as last_local_date
    from events
    qualify row_number() over (
            partition by person_key
            order by occurred_at desc, message_id desc
        ) = 1
),

first_campaigns as (
    select
        person_key,
        campaign_source,
        campaign_medium,
        campaign_name,
        occurred_at as first_campaign_at
    from events
    where coalesce(campaign_source, campaign_medium, campaign_name) is not null
    qualify row_number() over (
            partition by person_key
            order by occurred_at, message_id
        ) = 1
),

final as (
    select
        -- keys
        per_person.person_key,
        latest_events.last_company_key,
        -- strings
        first_campaigns.campaign_source as first_campaign_source,
        first_campaigns.campaign_medium as first_campaign_medium,
        first_campaigns.campaign_name as first_campaign_name,
        -- numerics
        per_person.event_count,
        -- dates
        latest_events.last_local_date,
        -- timestamps (UTC)
        per_person.first_event_at,
        per_person.last_event_at,
        first_campaigns.first_campaign_at
    from per_person
    inner join latest_events on per_person.person_key = latest_events.person_key
    left join first_campaigns on per_person.person_key = first_campaigns.person_key
)

select * from final
