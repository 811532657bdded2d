{#-
    One row per problem in the current company_classification.csv (the
    snapshot's current rows): a company_id that names no company, an
    industry code not in the taxonomy, a (company, node) pair on several
    rows, and a company without exactly one primary row. What the models do
    about each is in the detail; ops.data_issues lists them.
-#}
with

assignments as (
    select * from {{ ref('int_company_classification_assignments') }}
),

current_rows as (
    select *
    from assignments
    where is_current
),

row_issues as (
    select
        assignment_status as issue_type,
        'company_classification_row' as entity_type,
        company_id as entity_id,
        case assignment_status
            when 'unknown_company_id'
                then 'company_classification.csv assigns ' || industry_code
                    || ' to company_id ' || company_id
                    || ', which is no company key, CRM account, app account or Stripe'
                    || ' customer we know; the row is ignored'
            else 'company_classification.csv assigns ' || industry_code
                || ' to company_id ' || company_id
                || ', but ' || industry_code
                || ' is not a code in industry_taxonomy.csv; the row is ignored'
        end as detail
    from current_rows
    where assignment_status <> 'ok'
),

repeated_rows as (
    select
        'duplicate_classification_row' as issue_type,
        'company_classification_row' as entity_type,
        company_id as entity_id,
        'company_classification.csv has ' || cast(source_row_count as varchar)
        || ' rows for company_id ' || company_id || ' and ' || industry_code
        || '; they are read as one (primary if any row says so)' as detail
    from current_rows
    where source_row_count > 1
),

primary_counts as (
    select
        company_key,
        min(company_id) as company_id,
        sum(case when is_primary then 1 else 0 end) as primary_count,
        min(case when is_primary then industry_code end) as first_primary_code,
        {{ dbt.listagg('industry_code', "', '", 'order by industry_code') }} as industry_codes
    from current_rows
    where assignment_status = 'ok'
    group by company_key
),

primary_issues as (
    select
        case
            when primary_count = 0 then 'no_primary_industry'
            else 'several_primary_industries'
        end as issue_type,
        'company' as entity_type,
        company_key as entity_id,
        case
            when primary_count = 0
                then 'company_classification.csv gives company ' || company_id
                    || ' (' || company_key || ') only secondary industries ('
                    || industry_codes || '); its primary industry comes from the CRM mapping'
            else 'company_classification.csv marks ' || cast(primary_count as varchar)
                || ' primary industries for company ' || company_id || ' ('
                || company_key || '): ' || industry_codes || '; ' || first_primary_code
                || ' (the first by code) is used, the others count as secondary'
        end as detail
    from primary_counts
    where primary_count <> 1
),

final as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from row_issues
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from repeated_rows
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from primary_issues
)

select * from final
