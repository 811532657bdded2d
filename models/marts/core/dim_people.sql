{#- One row per person: their current version in dim_people_history (no
    email, no names: docs/privacy.md). -#}
with

history as (
    select * from {{ ref('dim_people_history') }}
),

touches as (
    select
        person_key,
        first_touch_channel,
        first_touch_campaign,
        last_touch_channel,
        last_touch_campaign,
        signed_up_at,
        first_touch_at,
        last_touch_at
    from {{ ref('int_person_touches') }}
),

final as (
    select
        -- ids
        history.person_key,
        history.user_id,
        history.crm_contact_id,
        history.company_key,
        history.crm_account_id,
        -- strings
        history.email_hash,
        history.title,
        history.lead_source,
        touches.first_touch_channel,
        touches.first_touch_campaign,
        touches.last_touch_channel,
        touches.last_touch_campaign,
        -- booleans
        history.has_opted_out_of_email,
        history.is_deleted,
        -- timestamps (UTC)
        history.valid_from as current_since_at,
        touches.signed_up_at,
        touches.first_touch_at,
        touches.last_touch_at
    from history
    left join touches on history.person_key = touches.person_key
    where history.is_current
)

select * from final
