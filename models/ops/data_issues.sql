{#-
    One row per problem found in the source data that the pipeline worked
    around (rather than rejecting a row): what, which entity, how we handled
    it. Each branch is a CTE over the model that found the issue; a new kind
    of issue adds a branch here and its issue_type to the accepted values in
    _ops__models.yml.
-#}
with

hierarchy_edges as (
    select
        edge_status as issue_type,
        'crm_account' as entity_type,
        crm_account_id as entity_id,
        detail
    from {{ ref('int_company_parent_edges') }}
    where edge_status in ('hierarchy_cycle', 'dangling_parent', 'hierarchy_too_deep')
),

industry_edges as (
    select
        edge_status as issue_type,
        'industry' as entity_type,
        industry_code as entity_id,
        detail
    from {{ ref('int_industry_edges') }}
    where edge_status in ('unknown_industry_code', 'industry_cycle', 'industry_level_mismatch')
),

industry_nodes as (
    select
        node_status as issue_type,
        'industry' as entity_type,
        industry_code as entity_id,
        detail
    from {{ ref('int_industries') }}
    where node_status in ('industry_without_parent', 'ambiguous_primary_parent')
),

crm_industry_values as (
    select
        case mapping_status
            when 'unmapped' then 'unmapped_crm_industry'
            else mapping_status
        end as issue_type,
        'crm_industry_value' as entity_type,
        crm_value as entity_id,
        'CRM Industry ' || crm_value
        || case
            when spelling_count > 1
                then ' (and ' || cast(spelling_count - 1 as varchar) || ' other spellings)'
            else ''
        end
        || ', on ' || cast(company_count as varchar) || ' companies ('
        || cast(current_company_count as varchar) || ' today), '
        || case mapping_status
            when 'unmapped' then 'has no row in crm_industry_map.csv'
            else 'maps to ' || mapped_industry_code
                || ', which is not a code in industry_taxonomy.csv'
        end
        || '; they get no industry from the CRM' as detail
    from {{ ref('int_crm_industry_values') }}
    where mapping_status in ('unmapped', 'unknown_industry_code')
),

company_classification_rows as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from {{ ref('int_company_classification_checks') }}
),

unioned as (
    select issue_type, entity_type, entity_id, detail
    from hierarchy_edges
    union all
    select issue_type, entity_type, entity_id, detail
    from industry_edges
    union all
    select issue_type, entity_type, entity_id, detail
    from industry_nodes
    union all
    select issue_type, entity_type, entity_id, detail
    from crm_industry_values
    union all
    select issue_type, entity_type, entity_id, detail
    from company_classification_rows
),

final as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail,
        {{ run_started_at_utc() }} as detected_at
    from unioned
)

select * from final
