{#-
    One row per person who is not deleted: the traits a marketing or
    support tool holds about them, after the consent rules (doc block
    `export_consent_rules`): without analytics consent only ids and
    profile traits, no behavioural ones; opted out of email, no email.
-#}
with

-- the email, names and user id the tool matches on are in the contact details
-- (schema personal); dim_people has none of them
contact_details as (
    select
        person_key,
        user_id,
        email,
        first_name,
        last_name,
        full_name
    from {{ ref('dim_people_contact_details') }}
),

people as (
    select
        dim_people.person_key,
        contact_details.user_id,
        dim_people.crm_contact_id,
        dim_people.company_key,
        contact_details.email,
        contact_details.first_name,
        contact_details.last_name,
        contact_details.full_name,
        dim_people.title,
        dim_people.lead_source,
        dim_people.first_touch_channel,
        dim_people.first_touch_campaign,
        dim_people.has_opted_out_of_email,
        dim_people.signed_up_at,
        dim_people.first_touch_at
    from {{ ref('dim_people') }} as dim_people
    left join contact_details on dim_people.person_key = contact_details.person_key
    where not dim_people.is_deleted
),

journeys as (
    select
        person_key,
        current_stage,
        current_stage_since
    from {{ ref('fct_person_journey') }}
),

event_summaries as (
    select
        person_key,
        last_event_at
    from {{ ref('int_person_event_summary') }}
),

consents as (
    select
        person_key,
        has_analytics_consent
    from {{ ref('int_person_consents') }}
),

-- the person's company, unless it is deleted (then it is not exported either)
companies as (
    select
        company_key,
        crm_account_id,
        app_account_id,
        company_name,
        plan,
        lifecycle_stage,
        mrr_band,
        health_band,
        health_driver,
        industry_path,
        timezone,
        reporting_currency,
        mrr_reporting
    from {{ ref('customer_360') }}
    where not is_deleted
),

-- no message at all (a CRM-only person): consent as given, as the spec
-- reads an absent consent object; such a person has no behaviour anyway
flagged as (
    select
        people.*,
        coalesce(consents.has_analytics_consent, true) as has_analytics_consent,
        coalesce(people.has_opted_out_of_email, false) as email_opted_out
    from people
    left join consents on people.person_key = consents.person_key
),

joined as (
    select
        flagged.person_key,
        flagged.user_id,
        flagged.crm_contact_id,
        case when not flagged.email_opted_out then flagged.email end as email,
        companies.company_key,
        companies.crm_account_id,
        companies.app_account_id,
        flagged.first_name,
        flagged.last_name,
        flagged.full_name,
        flagged.title,
        flagged.lead_source,
        companies.company_name,
        companies.plan,
        companies.lifecycle_stage,
        companies.mrr_band,
        companies.health_band,
        companies.health_driver,
        companies.industry_path as industry,
        companies.timezone,
        companies.reporting_currency,
        companies.mrr_reporting,
        flagged.has_analytics_consent,
        flagged.email_opted_out,
        -- behavioural: from events, only with consent
        case when flagged.has_analytics_consent then journeys.current_stage end
            as journey_stage,
        case when flagged.has_analytics_consent then journeys.current_stage_since end
            as journey_stage_since,
        case when flagged.has_analytics_consent then flagged.first_touch_channel end
            as first_touch_channel,
        case when flagged.has_analytics_consent then flagged.first_touch_campaign end
            as first_touch_campaign,
        case when flagged.has_analytics_consent then flagged.signed_up_at end
            as signed_up_at,
        case when flagged.has_analytics_consent then flagged.first_touch_at end
            as first_touch_at,
        case when flagged.has_analytics_consent then event_summaries.last_event_at end
            as last_seen_at
    from flagged
    left join companies on flagged.company_key = companies.company_key
    left join journeys on flagged.person_key = journeys.person_key
    left join event_summaries on flagged.person_key = event_summaries.person_key
),

final as (
    select
        -- ids
        person_key,
        user_id,
        crm_contact_id,
        email,
        company_key,
        crm_account_id,
        app_account_id,
        -- strings
        first_name,
        last_name,
        full_name,
        title,
        lead_source,
        company_name,
        plan,
        lifecycle_stage,
        mrr_band,
        health_band,
        health_driver,
        industry,
        timezone,
        journey_stage,
        first_touch_channel,
        first_touch_campaign,
        reporting_currency,
        -- numerics
        mrr_reporting,
        -- booleans
        has_analytics_consent,
        email_opted_out,
        -- dates
        journey_stage_since,
        -- timestamps (UTC)
        signed_up_at,
        first_touch_at,
        last_seen_at
    from joined
)

select * from final
