{#-
    One row per company version (SCD2): the company's attributes as of
    [valid_from, valid_to), resolved per attribute with precedence
    crm > billing > events (plan: billing, else events; int_company_plan_changes). A version starts at the company's first
    observation and wherever a resolved attribute changed; no gaps, no
    overlaps; the current version has valid_to null.
-#}
{%- set attributes = [
    'company_name', 'website', 'industry', 'employee_count', 'annual_revenue',
    'billing_country', 'billing_state', 'billing_city', 'account_type',
    'owner_user_id', 'csm_user_id', 'parent_crm_account_id', 'time_zone_text',
    'contract_signed_date', 'onboarding_completed_date', 'crm_app_account_id',
    'billing_email', 'currency', 'plan', 'plan_source', 'is_deleted', 'timezone', 'timezone_source',
    'industry_code', 'secondary_industry_codes', 'use_case', 'business_type',
    'employee_size_band', 'revenue_size_band',
] -%}

with

attribute_changes as (
    select * from {{ ref('int_company_attribute_changes') }}
),

timezone_changes as (
    select * from {{ ref('int_company_timezone_changes') }}
),

classification_changes as (
    select * from {{ ref('int_company_classification_changes') }}
),

plan_changes as (
    select * from {{ ref('int_company_plan_changes') }}
),

first_observations as (
    select * from {{ ref('int_company_first_observations') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

changes as (
    select
        company_key as entity_key,
        attribute,
        new_value,
        changed_at
    from attribute_changes
    union all
    select
        company_key as entity_key,
        attribute,
        new_value,
        changed_at
    from timezone_changes
    union all
    select
        company_key as entity_key,
        attribute,
        new_value,
        changed_at
    from classification_changes
    union all
    select
        company_key as entity_key,
        attribute,
        new_value,
        changed_at
    from plan_changes
),

-- the first version starts when the company's history begins
entities as (
    select
        company_key as entity_key,
        born_at
    from first_observations
),

-- one id of each type per company: the earliest seen (ties: smallest)
natural_ids as (
    select
        company_key,
        identifier_type,
        identifier_value
    from identifiers
    qualify row_number() over (
            partition by company_key, identifier_type
            order by first_seen_at, identifier_value
        ) = 1
),

natural_ids_wide as (
    select
        company_key,
        max(case when identifier_type = 'crm_account_id' then identifier_value end)
            as crm_account_id,
        max(case when identifier_type = 'app_account_id' then identifier_value end)
            as app_account_id,
        max(case when identifier_type = 'billing_customer_id' then identifier_value end)
            as billing_customer_id
    from natural_ids
    group by company_key
),

{{ versions_from_attribute_changes('changes', 'entities', attributes) }},

final as (
    select
        -- ids
        cast(versions.entity_key as varchar) as company_key,
        cast(natural_ids_wide.crm_account_id as varchar) as crm_account_id,
        cast(natural_ids_wide.app_account_id as varchar) as app_account_id,
        cast(natural_ids_wide.billing_customer_id as varchar) as billing_customer_id,
        cast(versions.owner_user_id as varchar) as owner_user_id,
        cast(versions.csm_user_id as varchar) as csm_user_id,
        cast(versions.parent_crm_account_id as varchar) as parent_crm_account_id,
        cast(versions.crm_app_account_id as varchar) as crm_app_account_id,
        -- strings
        cast(versions.company_name as varchar) as company_name,
        cast(versions.website as varchar) as website,
        cast(versions.industry as varchar) as industry,
        cast(versions.billing_country as varchar) as billing_country,
        cast(versions.billing_state as varchar) as billing_state,
        cast(versions.billing_city as varchar) as billing_city,
        cast(versions.account_type as varchar) as account_type,
        cast(versions.time_zone_text as varchar) as time_zone_text,
        cast(versions.timezone as varchar) as timezone,
        cast(versions.timezone_source as varchar) as timezone_source,
        cast({{ email_hash('versions.billing_email') }} as varchar) as billing_email_hash,
        cast(versions.currency as varchar) as currency,
        cast(versions.plan as varchar) as plan,
        cast(versions.plan_source as varchar) as plan_source,
        cast(versions.industry_code as varchar) as industry_code,
        cast(versions.secondary_industry_codes as varchar) as secondary_industry_codes,
        cast(versions.use_case as varchar) as use_case,
        cast(versions.business_type as varchar) as business_type,
        cast(versions.employee_size_band as varchar) as employee_size_band,
        cast(versions.revenue_size_band as varchar) as revenue_size_band,
        -- numerics
        cast(versions.employee_count as bigint) as employee_count,
        cast(versions.annual_revenue as decimal(18, 2)) as annual_revenue,
        -- booleans
        coalesce(cast(versions.is_deleted as boolean), false) as is_deleted,
        versions.valid_to is null as is_current,
        -- dates
        cast(versions.contract_signed_date as date) as contract_signed_date,
        cast(versions.onboarding_completed_date as date) as onboarding_completed_date,
        -- timestamps (UTC)
        cast(versions.valid_from as timestamp) as valid_from,
        cast(versions.valid_to as timestamp) as valid_to
    from versions
    left join natural_ids_wide
        on versions.entity_key = natural_ids_wide.company_key
)

select * from final
