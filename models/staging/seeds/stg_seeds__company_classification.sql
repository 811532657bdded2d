{#-
    One row per (company_id, industry_code) in customer success's seed
    company_classification, ids trimmed, codes and business types
    lower-cased. Rows that repeat a pair are combined (is_primary if any
    says so, the first non-empty use case and business type) and counted in
    source_row_count, so the snapshot company_classification_snapshot gets
    a unique key and the repeat is still reported (ops.data_issues).
-#}
with

source as (
    select * from {{ ref('company_classification') }}
),

renamed as (
    select
        trim(company_id) as company_id,
        lower(trim(industry_code)) as industry_code,
        is_primary,
        nullif(trim(use_case), '') as use_case,
        nullif(lower(trim(business_type)), '') as business_type
    from source
    where nullif(trim(company_id), '') is not null
        and nullif(trim(industry_code), '') is not null
),

combined as (
    select
        -- ids
        company_id,
        industry_code,
        -- strings
        min(use_case) as use_case,
        min(business_type) as business_type,
        -- numerics
        count(*) as source_row_count,
        -- booleans
        coalesce({{ dbt.bool_or('is_primary') }}, false) as is_primary
    from renamed
    group by company_id, industry_code
)

select * from combined
