{#-
    One row per company: its current version in dim_companies_history, with
    its place in the company hierarchy today (int_company_hierarchy; for any
    other date use the company_hierarchy_as_of macro).
-#}
with

history as (
    select * from {{ ref('dim_companies_history') }}
),

hierarchy as (
    select * from {{ ref('int_company_hierarchy') }}
),

final as (
    select
        -- ids
        history.company_key,
        hierarchy.parent_company_key,
        hierarchy.ultimate_parent_company_key,
        crm_account_id,
        app_account_id,
        billing_customer_id,
        owner_user_id,
        csm_user_id,
        parent_crm_account_id,
        crm_app_account_id,
        -- strings
        company_name,
        website,
        industry,
        billing_country,
        billing_state,
        billing_city,
        account_type,
        time_zone_text,
        timezone,
        timezone_source,
        billing_email_hash,
        currency,
        plan,
        plan_source,
        hierarchy.hierarchy_path,
        industry_code,
        secondary_industry_codes,
        use_case,
        business_type,
        employee_size_band,
        revenue_size_band,
        -- numerics
        hierarchy.hierarchy_depth,
        employee_count,
        annual_revenue,
        -- booleans
        is_deleted,
        -- dates
        contract_signed_date,
        onboarding_completed_date,
        -- timestamps (UTC)
        valid_from as current_since_at
    from history
    left join hierarchy on history.company_key = hierarchy.company_key
    where history.is_current
)

select * from final
