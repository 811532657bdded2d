{#-
    One row per consented message carrying a campaign (UTM): the person
    (anonymous touches included once the device is linked to a person),
    the company as of the touch, the device and the channel (seed
    channel_groups). int_campaign_touches under an enforced contract.
-#}
with

touches as (
    select * from {{ ref('int_campaign_touches') }}
),

final as (
    select
        -- keys
        message_id,
        person_key,
        company_key,
        -- ids
        anonymous_id,
        -- strings
        channel,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        -- booleans
        person_key is not null as is_linked,
        -- dates
        local_date,
        -- timestamps (UTC)
        occurred_at
    from touches
)

select * from final
