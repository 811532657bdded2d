{#-
    One row per consented message carrying a campaign (UTM): the person
    (anonymous touches included once the device is linked to a person),
    the company as of the touch, the device and the channel (seed
    channel_groups, through int_campaign_channels). int_campaign_touches
    under an enforced contract.
-#}
with

touches as (
    select
        message_id,
        person_key,
        company_key,
        anonymous_id,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        source_key,
        medium_key,
        local_date,
        occurred_at
    from {{ ref('int_campaign_touches') }}
),

channels as (
    select
        source_key,
        medium_key,
        channel
    from {{ ref('int_campaign_channels') }}
),

final as (
    select
        -- keys
        touches.message_id,
        touches.person_key,
        touches.company_key,
        -- ids
        touches.anonymous_id,
        -- strings
        channels.channel,
        touches.campaign_source,
        touches.campaign_medium,
        touches.campaign_name,
        touches.campaign_term,
        touches.campaign_content,
        -- booleans
        touches.person_key is not null as is_linked,
        -- dates
        touches.local_date,
        -- timestamps (UTC)
        touches.occurred_at
    from touches
    inner join channels
        on touches.source_key = channels.source_key
        and touches.medium_key = channels.medium_key
)

select * from final
