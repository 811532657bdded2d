{#- One row per company: its current version in dim_companies_history. -#}
with

history as (
    select * from {{ ref('dim_companies_history') }}
),

final as (
    select
        -- ids
        company_key,
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
        billing_email,
        currency,
        plan,
        -- numerics
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
    where is_current
)

select * from final
