{#-
    One row per person with a sign-up or a campaign touch: when they signed
    up (int_person_sign_ups: the first identify call or CRM contact
    creation, whichever is first), their first campaign touch (anonymous
    touches included once the device is linked to them) and their last
    touch at or before the sign-up, each with its channel
    (int_campaign_channels). Ties: the message id. The ground of
    dim_people's acquisition columns, the companies' first touch and the
    acquisition funnel.
-#}
with

channels as (
    select
        source_key,
        medium_key,
        channel
    from {{ ref('int_campaign_channels') }}
),

touches as (
    select
        touches.message_id,
        touches.person_key,
        channels.channel,
        touches.campaign_source,
        touches.campaign_medium,
        touches.campaign_name,
        touches.occurred_at
    from {{ ref('int_campaign_touches') }} as touches
    inner join channels
        on touches.source_key = channels.source_key
        and touches.medium_key = channels.medium_key
    where touches.person_key is not null
),

sign_ups as (
    select
        person_key,
        signed_up_at
    from {{ ref('int_person_sign_ups') }}
),

people as (
    select person_key from touches
    union
    select person_key from sign_ups
),

first_touches as (
    select *
    from touches
    qualify row_number() over (
            partition by person_key
            order by occurred_at, message_id
        ) = 1
),

last_touches_before as (
    select touches.*
    from touches
    inner join sign_ups
        on touches.person_key = sign_ups.person_key
        and touches.occurred_at <= sign_ups.signed_up_at
    qualify row_number() over (
            partition by touches.person_key
            order by touches.occurred_at desc, touches.message_id desc
        ) = 1
),

final as (
    select
        -- keys
        cast(people.person_key as varchar) as person_key,
        cast(first_touches.message_id as varchar) as first_touch_message_id,
        cast(last_touches_before.message_id as varchar) as last_touch_message_id,
        -- strings
        first_touches.channel as first_touch_channel,
        first_touches.campaign_source as first_touch_source,
        first_touches.campaign_medium as first_touch_medium,
        first_touches.campaign_name as first_touch_campaign,
        last_touches_before.channel as last_touch_channel,
        last_touches_before.campaign_source as last_touch_source,
        last_touches_before.campaign_medium as last_touch_medium,
        last_touches_before.campaign_name as last_touch_campaign,
        -- timestamps (UTC)
        sign_ups.signed_up_at,
        first_touches.occurred_at as first_touch_at,
        last_touches_before.occurred_at as last_touch_at
    from people
    left join sign_ups on people.person_key = sign_ups.person_key
    left join first_touches on people.person_key = first_touches.person_key
    left join last_touches_before on people.person_key = last_touches_before.person_key
)

select * from final
