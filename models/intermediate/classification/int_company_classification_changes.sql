{#-
    One row per resolved change of a classification attribute of a company
    (company_key, attribute, changed_at): industry_code,
    secondary_industry_codes, use_case, business_type, employee_size_band,
    revenue_size_band. The same columns as int_company_attribute_changes,
    which dim_companies_history and fct_attribute_changes union it with.
    Customer success (source `seed:company_classification.csv`) beats the
    CRM mapping (source crm, or events when the text came from the app).
-#}
with

observations as (
    select * from {{ ref('int_company_classification_observations') }}
),

keyed_observations as (
    select
        company_key as entity_key,
        company_key as identifier_value,
        attribute,
        attribute_value,
        observed_at,
        source,
        source_precedence,
        source_model
    from observations
),

{{ resolve_attribute_changes('keyed_observations') }},

final as (
    select
        -- ids
        entity_key as company_key,
        -- strings
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        -- timestamps (UTC)
        changed_at
    from resolved_changes
)

select * from final
