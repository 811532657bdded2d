{#-
    One row per consented message carrying a campaign (any UTM field):
    its person (logged in, or the person its anonymous id was later linked
    to: int_events_attributed), its company as of the message, the device
    (anonymous id) and the channel its source and medium map to (seed
    channel_groups: the first rule by rule_order whose source and medium
    match, `*` for anything; `unassigned` when none does). Only the
    campaign messages are read from the events, both times. A full
    rebuild: campaign touches are a small share of the events.
-#}
with

touches as (
    select
        message_id,
        person_key,
        company_key,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        local_date,
        occurred_at
    from {{ ref('int_events_attributed') }}
    where not coalesce(_is_removed, false)
        and coalesce(campaign_source, campaign_medium, campaign_name) is not null
),

devices as (
    select
        message_id,
        anonymous_id
    from {{ ref('stg_events__messages_consented') }}
    where coalesce(campaign_source, campaign_medium, campaign_name) is not null
),

rules as (
    select
        source_pattern,
        medium_pattern,
        channel,
        rule_order
    from {{ ref('stg_seeds__channel_groups') }}
),

matched as (
    select
        touches.message_id,
        rules.channel
    from touches
    inner join rules
        on (
            rules.source_pattern = '*'
            or rules.source_pattern = lower(trim(touches.campaign_source))
        )
        and (
            rules.medium_pattern = '*'
            or rules.medium_pattern = lower(trim(touches.campaign_medium))
        )
    qualify row_number() over (partition by touches.message_id order by rules.rule_order) = 1
),

final as (
    select
        -- keys
        cast(touches.message_id as varchar) as message_id,
        cast(touches.person_key as varchar) as person_key,
        cast(touches.company_key as varchar) as company_key,
        -- ids
        cast(devices.anonymous_id as varchar) as anonymous_id,
        -- strings
        cast(coalesce(matched.channel, 'unassigned') as varchar) as channel,
        touches.campaign_source,
        touches.campaign_medium,
        touches.campaign_name,
        touches.campaign_term,
        touches.campaign_content,
        -- dates
        touches.local_date,
        -- timestamps (UTC)
        touches.occurred_at
    from touches
    left join devices on touches.message_id = devices.message_id
    left join matched on touches.message_id = matched.message_id
)

select * from final
