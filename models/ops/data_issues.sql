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

unioned as (
    select issue_type, entity_type, entity_id, detail
    from hierarchy_edges
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
