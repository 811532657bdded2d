{#-
    One row per company (deleted ones kept, flagged): who it is, where it
    sits, who looks after it, how it found us, where it stands as a
    customer and what it is worth, as of the warehouse's latest data. Which
    companies pay most and who is their CSM? Which sector and size do our
    paying customers come from? Which campaign brought our biggest
    customers? Lifecycle rules: doc block `company_lifecycle`.
-#}
{%- set nps_days = var('nps_window_days') | int %}
with

companies as (
    select
        company_key,
        parent_company_key,
        ultimate_parent_company_key,
        crm_account_id,
        app_account_id,
        billing_customer_id,
        owner_user_id,
        csm_user_id,
        company_name,
        website,
        billing_country,
        account_type,
        timezone,
        timezone_source,
        plan,
        industry_code,
        secondary_industry_codes,
        use_case,
        business_type,
        employee_size_band,
        revenue_size_band,
        employee_count,
        annual_revenue,
        is_deleted,
        contract_signed_date,
        onboarding_completed_date
    from {{ ref('dim_companies') }}
),

industries as (
    select
        industry_code,
        industry_name,
        primary_name_path,
        primary_sector_code
    from {{ ref('dim_industries') }}
),

-- the sector (level 1) each node's primary path starts at, by name: the
-- segment rpt_revenue_retention calls industry_sector
sectors as (
    select
        industries.industry_code,
        sector_nodes.industry_name as sector_name
    from industries
    inner join industries as sector_nodes
        on industries.primary_sector_code = sector_nodes.industry_code
),

secondary_industries as (
    select
        bridge.company_key,
        {{ dbt.listagg(
            'industries.primary_name_path', "'; '", 'order by industries.primary_name_path'
        ) }} as secondary_industry_paths
    from {{ ref('bridge_company_industries') }} as bridge
    inner join companies on bridge.company_key = companies.company_key
    inner join industries on bridge.industry_code = industries.industry_code
    where bridge.is_assigned
        and bridge.industry_code is distinct from companies.industry_code
    group by bridge.company_key
),

crm_accounts as (
    select
        account_id,
        account_source,
        cast(created_at as date) as created_date
    from {{ ref('stg_crm__accounts') }}
),

crm_users as (
    select
        user_id,
        user_name
    from {{ ref('stg_crm__users') }}
),

-- since when the current rep holds the account: their latest assignment
rep_changes as (
    select
        entity_key as company_key,
        attribute,
        new_value,
        max(changed_at) as assigned_at
    from {{ ref('fct_attribute_changes') }}
    where entity = 'company'
        and attribute in ('owner_user_id', 'csm_user_id')
    group by entity_key, attribute, new_value
),

first_observations as (
    select
        company_key,
        born_at
    from {{ ref('int_company_first_observations') }}
),

activity as (
    select
        company_key,
        min(local_date) as first_activity_date,
        max(local_date) as last_activity_date
    from {{ ref('fct_company_activity_daily') }}
    where event_count > 0
    group by company_key
),

people as (
    select
        person_key,
        last_company_key,
        last_local_date
    from {{ ref('int_person_event_summary') }}
),

-- the day "today" is for activity counts: the latest local day with events
activity_as_of as (
    select
        max(last_local_date) as as_of_date,
        {{ dbt.dateadd('day', -7, 'max(last_local_date)') }} as week_before,
        {{ dbt.dateadd('day', -30, 'max(last_local_date)') }} as month_before
    from people
),

active_people as (
    select
        people.last_company_key as company_key,
        sum(
            case
                when people.last_local_date > activity_as_of.week_before
                    then 1
                else 0
            end
        ) as active_people_7d,
        sum(
            case
                when people.last_local_date > activity_as_of.month_before
                    then 1
                else 0
            end
        ) as active_people_30d
    from people
    cross join activity_as_of
    where people.last_company_key is not null
    group by people.last_company_key
),


lifecycle as (
    select
        company_key,
        lifecycle_stage,
        mrr_currency,
        reporting_currency,
        mrr_band,
        mrr,
        mrr_reporting,
        first_mrr_date,
        last_mrr_date,
        billing_as_of_date
    from {{ ref('int_company_lifecycle') }}
),

company_customers as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('bridge_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

first_paid as (
    select
        company_customers.company_key,
        min(cast(invoices.created_at as date)) as first_paid_date
    from {{ ref('stg_billing__invoices') }} as invoices
    inner join company_customers on invoices.customer_id = company_customers.customer_id
    where invoices.status = 'paid' and invoices.amount_paid > 0
    group by company_customers.company_key
),

features_today as (
    select
        company_key,
        {{ dbt.listagg('feature', "', '", 'order by feature') }} as features
    from {{ ref('fct_feature_access_windows') }}
    where access_to is null
    group by company_key
),

pipeline as (
    select
        company_key,
        count(*) as open_opportunity_count,
        sum(amount_reporting) as open_pipeline_reporting,
        sum(expected_amount_reporting) as expected_revenue_reporting,
        count(*) - count(amount_reporting) as unconverted_count
    from {{ ref('fct_opportunities') }}
    where not is_closed
        and not is_deleted
        and company_key is not null
    group by company_key
),

open_tickets as (
    select
        company_key,
        count(*) as open_ticket_count
    from {{ ref('fct_support_tickets') }}
    where not is_solved
        and company_key is not null
    group by company_key
),

-- the health of the company's latest complete week (the as-of week is
-- provisional: a Monday's score counts one day of use against a week's);
-- the as-of week when the company has no complete one yet
health as (
    select
        company_key,
        band,
        driver,
        score,
        score_change,
        driver_contribution,
        is_complete_week,
        week_start
    from {{ ref('fct_company_health_weekly') }}
    qualify row_number() over (
            partition by company_key
            order by is_complete_week desc, week_start desc
        ) = 1
),

nps as (
    select
        responses.company_key,
        {{ net_promoter_score('responses.category') }} as nps,
        count(*) as nps_responses
    from {{ ref('fct_nps_responses') }} as responses
    cross join activity_as_of
    where responses.company_key is not null
        and responses.local_date <= activity_as_of.as_of_date
        and responses.local_date > {{ dbt.dateadd('day', -nps_days, 'activity_as_of.as_of_date') }}
    group by responses.company_key
),

-- the company's first person (the earliest membership; ties: person key)
-- and that person's first campaign touch
company_touches as (
    select
        company_key,
        first_touch_person_key,
        first_touch_channel,
        first_touch_campaign,
        first_touch_at
    from {{ ref('int_company_first_touches') }}
),

people_stages as (
    select
        company_key,
        people_signed_up,
        people_activated,
        people_engaged,
        people_power_user,
        people_dormant
    from {{ ref('int_company_people_stages') }}
),

-- data decay: the share of the company's judged attributes that are
-- fresh, and its stalest one (doc block freshness_rules)
staleness as (
    select
        entity_key as company_key,
        attribute,
        age_days,
        is_stale,
        row_number() over (
            partition by entity_key order by age_days desc, attribute
        ) as staleness_rank
    from {{ ref('rpt_data_staleness') }}
    where entity = 'company'
),

freshness as (
    select
        company_key,
        avg(case when is_stale then 0.0 when not is_stale then 1.0 end) as freshness_score,
        max(case when staleness_rank = 1 then attribute end) as stalest_attribute,
        max(case when staleness_rank = 1 then age_days end) as stalest_attribute_age_days
    from staleness
    group by company_key
),

joined as (
    select
        companies.*,
        parents.company_name as parent_company_name,
        tops.company_name as ultimate_parent_company_name,
        industries.primary_name_path as industry_path,
        sectors.sector_name as industry_sector,
        secondary_industries.secondary_industry_paths,
        crm_accounts.account_source,
        coalesce(crm_accounts.created_date, cast(first_observations.born_at as date))
            as created_date,
        -- our own staff by name (so sales and CS find their book), never by
        -- email: docs/privacy.md
        sales_reps.user_name as sales_rep_name,
        cast(sales_rep_changes.assigned_at as date) as sales_rep_since_date,
        csms.user_name as csm_name,
        cast(csm_changes.assigned_at as date) as csm_since_date,
        activity.first_activity_date,
        activity.last_activity_date,
        company_touches.first_touch_person_key as first_person_key,
        coalesce(active_people.active_people_7d, 0) as active_people_7d,
        coalesce(active_people.active_people_30d, 0) as active_people_30d,
        lifecycle.mrr_currency,
        lifecycle.mrr,
        lifecycle.reporting_currency,
        lifecycle.mrr_reporting,
        lifecycle.mrr_band,
        lifecycle.first_mrr_date,
        lifecycle.last_mrr_date,
        first_paid.first_paid_date,
        features_today.features,
        coalesce(open_tickets.open_ticket_count, 0) as open_ticket_count,
        freshness.freshness_score,
        freshness.stalest_attribute,
        freshness.stalest_attribute_age_days,
        health.score as health_score,
        health.band as health_band,
        health.driver as health_driver,
        health.score_change as health_score_change,
        health.driver_contribution as health_driver_contribution,
        health.week_start as health_week_start,
        nps.nps as nps_90d,
        coalesce(nps.nps_responses, 0) as nps_responses_90d,
        company_touches.first_touch_channel,
        company_touches.first_touch_campaign,
        company_touches.first_touch_at,
        coalesce(people_stages.people_signed_up, 0) as people_signed_up,
        coalesce(people_stages.people_activated, 0) as people_activated,
        coalesce(people_stages.people_engaged, 0) as people_engaged,
        coalesce(people_stages.people_power_user, 0) as people_power_user,
        coalesce(people_stages.people_dormant, 0) as people_dormant,
        coalesce(pipeline.open_opportunity_count, 0) as open_opportunity_count,
        case
            when pipeline.company_key is null then 0
            when pipeline.unconverted_count = 0 then pipeline.open_pipeline_reporting
        end as open_pipeline_reporting,
        case
            when pipeline.company_key is null then 0
            when pipeline.unconverted_count = 0 then pipeline.expected_revenue_reporting
        end as expected_revenue_reporting,
        lifecycle.lifecycle_stage,
        (select as_of_date from activity_as_of) as activity_as_of_date,
        lifecycle.billing_as_of_date
    from companies
    left join companies as parents on companies.parent_company_key = parents.company_key
    left join companies as tops on companies.ultimate_parent_company_key = tops.company_key
    left join industries on companies.industry_code = industries.industry_code
    left join sectors on companies.industry_code = sectors.industry_code
    left join secondary_industries on companies.company_key = secondary_industries.company_key
    left join crm_accounts on companies.crm_account_id = crm_accounts.account_id
    left join first_observations on companies.company_key = first_observations.company_key
    left join crm_users as sales_reps on companies.owner_user_id = sales_reps.user_id
    left join crm_users as csms on companies.csm_user_id = csms.user_id
    left join rep_changes as sales_rep_changes
        on companies.company_key = sales_rep_changes.company_key
        and sales_rep_changes.attribute = 'owner_user_id'
        and companies.owner_user_id = sales_rep_changes.new_value
    left join rep_changes as csm_changes
        on companies.company_key = csm_changes.company_key
        and csm_changes.attribute = 'csm_user_id'
        and companies.csm_user_id = csm_changes.new_value
    left join activity on companies.company_key = activity.company_key
    left join company_touches on companies.company_key = company_touches.company_key
    left join active_people on companies.company_key = active_people.company_key
    left join lifecycle on companies.company_key = lifecycle.company_key
    left join first_paid on companies.company_key = first_paid.company_key
    left join features_today on companies.company_key = features_today.company_key
    left join open_tickets on companies.company_key = open_tickets.company_key
    left join pipeline on companies.company_key = pipeline.company_key
    left join health on companies.company_key = health.company_key
    left join nps on companies.company_key = nps.company_key
    left join people_stages on companies.company_key = people_stages.company_key
    left join freshness on companies.company_key = freshness.company_key
),

final as (
    select
        -- keys
        company_key,
        parent_company_key,
        ultimate_parent_company_key,
        crm_account_id,
        app_account_id,
        billing_customer_id,
        first_person_key,
        -- strings
        company_name,
        {{ website_domain('website') }} as website_domain,
        parent_company_name,
        ultimate_parent_company_name,
        industry_code,
        industry_path,
        industry_sector,
        secondary_industry_codes,
        secondary_industry_paths,
        use_case,
        business_type,
        employee_size_band,
        revenue_size_band,
        billing_country,
        timezone,
        timezone_source,
        sales_rep_name,
        csm_name,
        account_source,
        first_touch_channel,
        first_touch_campaign,
        lifecycle_stage,
        mrr_band,
        stalest_attribute,
        health_band,
        health_driver,
        plan,
        features,
        mrr_currency,
        cast(reporting_currency as varchar) as reporting_currency,
        -- numerics
        employee_count,
        annual_revenue,
        cast(mrr as decimal(18, 4)) as mrr,
        cast(12 * mrr as decimal(18, 4)) as arr,
        cast(mrr_reporting as decimal(18, 4)) as mrr_reporting,
        cast(12 * mrr_reporting as decimal(18, 4)) as arr_reporting,
        cast(open_opportunity_count as bigint) as open_opportunity_count,
        cast(open_pipeline_reporting as decimal(18, 4)) as open_pipeline_reporting,
        cast(expected_revenue_reporting as decimal(18, 4)) as expected_revenue_reporting,
        cast(open_ticket_count as bigint) as open_ticket_count,
        cast(active_people_7d as bigint) as active_people_7d,
        cast(active_people_30d as bigint) as active_people_30d,
        cast(freshness_score as double) as freshness_score,
        cast(stalest_attribute_age_days as integer) as stalest_attribute_age_days,
        cast(health_score as double) as health_score,
        cast(health_score_change as double) as health_score_change,
        cast(health_driver_contribution as double) as health_driver_contribution,
        cast(nps_90d as double) as nps_90d,
        cast(nps_responses_90d as bigint) as nps_responses_90d,
        cast(people_signed_up as bigint) as people_signed_up,
        cast(people_activated as bigint) as people_activated,
        cast(people_engaged as bigint) as people_engaged,
        cast(people_power_user as bigint) as people_power_user,
        cast(people_dormant as bigint) as people_dormant,
        -- booleans
        is_deleted,
        -- dates
        created_date,
        contract_signed_date,
        onboarding_completed_date,
        first_paid_date,
        first_mrr_date,
        last_mrr_date,
        first_activity_date,
        last_activity_date,
        sales_rep_since_date,
        csm_since_date,
        health_week_start,
        activity_as_of_date,
        first_touch_at,
        billing_as_of_date
    from joined
)

select * from final
