{#-
    One row per company that is not deleted: the account traits a
    marketing or support tool holds (ids, firmographics, plan, lifecycle,
    MRR, health, first touch), plus the user id of one exported member
    with analytics consent for the Segment group call (doc block
    `export_segment_calls`).
-#}
with

companies as (
    select
        company_key,
        crm_account_id,
        app_account_id,
        billing_customer_id,
        company_name,
        website_domain,
        industry_code,
        industry_path,
        employee_size_band,
        billing_country,
        timezone,
        plan,
        lifecycle_stage,
        mrr_band,
        health_band,
        health_driver,
        csm_name,
        first_touch_channel,
        first_touch_campaign,
        reporting_currency,
        employee_count,
        mrr_reporting,
        arr_reporting,
        health_score,
        active_people_30d,
        open_ticket_count,
        nps_90d,
        created_date,
        contract_signed_date,
        first_paid_date,
        last_activity_date
    from {{ ref('customer_360') }}
    where not is_deleted
),

-- the CSM's email: customer_360 names our staff but publishes no email
csm_emails as (
    select
        dim_companies.company_key,
        crm_users.email as csm_email
    from {{ ref('dim_companies') }} as dim_companies
    inner join {{ ref('stg_crm__users') }} as crm_users
        on dim_companies.csm_user_id = crm_users.user_id
),

-- the lowest user id among the company's exported, consented people
members as (
    select
        company_key,
        min(user_id) as member_user_id
    from {{ ref('export_person_traits') }}
    where has_analytics_consent
        and user_id is not null
        and company_key is not null
    group by company_key
),

final as (
    select
        -- ids
        companies.company_key,
        companies.crm_account_id,
        companies.app_account_id,
        companies.billing_customer_id,
        members.member_user_id,
        -- strings
        companies.company_name,
        companies.website_domain,
        companies.industry_code,
        companies.industry_path as industry,
        companies.employee_size_band,
        companies.billing_country,
        companies.timezone,
        companies.plan,
        companies.lifecycle_stage,
        companies.mrr_band,
        companies.health_band,
        companies.health_driver,
        companies.csm_name,
        csm_emails.csm_email,
        companies.first_touch_channel,
        companies.first_touch_campaign,
        companies.reporting_currency,
        -- numerics
        companies.employee_count,
        companies.mrr_reporting,
        companies.arr_reporting,
        companies.health_score,
        companies.active_people_30d,
        companies.open_ticket_count,
        companies.nps_90d,
        -- dates
        companies.created_date,
        companies.contract_signed_date,
        companies.first_paid_date,
        companies.last_activity_date
    from companies
    left join members on companies.company_key = members.company_key
    left join csm_emails on companies.company_key = csm_emails.company_key
)

select * from final
