{#-
    One row per company known at `as_of`: the parent edge the hierarchy uses,
    after the checks. `as_of` is a SQL expression castable to a UTC timestamp
    (e.g. "date '2026-03-01'", i.e. that day's midnight UTC); none = the
    current state. Statuses:
      top              no ParentId (or no CRM account at all)
      edge             a parent we use
      dangling_parent  ParentId is not a CRM account we know at `as_of`, or
                       every CRM account of the parent company is deleted
                       (soft or hard): the company is treated as a top
      merged_duplicate ParentId is another CRM account of the same company
                       (identity resolution merged them): dropped, not reported
      hierarchy_cycle  the company is on a cycle (A -> B -> A, or A -> A);
                       the member with the smallest CRM account id loses its
                       edge and becomes the top, the others keep theirs
    The cycle search walks parent edges carrying the visited path, stops at
    the first repeat and after var('hierarchy_max_depth') steps, so it ends
    on any input.
-#}
{% macro company_parent_edges_as_of(as_of=none) -%}
{%- set max_depth = var('hierarchy_max_depth', 100) -%}
with recursive

history as (
    select
        company_key,
        parent_company_key,
        crm_account_id,
        parent_crm_account_id,
        is_deleted,
        valid_from,
        valid_to
    from {{ ref('int_company_parents_history') }}
    where company_key is not null
),

identifiers as (
    select
        company_key,
        first_seen_at
    from {{ ref('int_company_identifiers') }}
),

account_states as (
    select
        company_key,
        parent_company_key,
        crm_account_id,
        parent_crm_account_id,
        is_deleted,
        valid_from
    from history
    where
    {%- if as_of is none %}
        valid_to is null
    {%- else %}
        valid_from <= cast({{ as_of }} as timestamp)
        and (valid_to is null or valid_to > cast({{ as_of }} as timestamp))
    {%- endif %}
),

companies as (
    select company_key
    from identifiers
    {%- if as_of is not none %}
    where first_seen_at <= cast({{ as_of }} as timestamp)
    {%- endif %}
    union
    select company_key
    from account_states
),

-- One account speaks for a company with several CRM accounts: a live one
-- first, then the most recently changed, then the smallest id.
ranked_accounts as (
    select
        company_key,
        parent_company_key,
        crm_account_id,
        parent_crm_account_id,
        row_number() over (
            partition by company_key
            order by is_deleted, valid_from desc, crm_account_id
        ) as account_rank
    from account_states
),

present_companies as (
    select distinct company_key
    from account_states
),

live_companies as (
    select distinct company_key
    from account_states
    where not is_deleted
),

checked_edges as (
    select
        ranked_accounts.company_key,
        ranked_accounts.crm_account_id,
        ranked_accounts.parent_crm_account_id,
        ranked_accounts.parent_company_key as recorded_parent_company_key,
        case
            when ranked_accounts.parent_crm_account_id is null then 'top'
            when ranked_accounts.parent_crm_account_id = ranked_accounts.crm_account_id
                then 'edge'
            when ranked_accounts.parent_company_key = ranked_accounts.company_key
                then 'merged_duplicate'
            when live_companies.company_key is null then 'dangling_parent'
            else 'edge'
        end as edge_status
    from ranked_accounts
    left join live_companies
        on ranked_accounts.parent_company_key = live_companies.company_key
    where ranked_accounts.account_rank = 1
),

open_edges as (
    select
        company_key,
        recorded_parent_company_key as parent_company_key,
        crm_account_id
    from checked_edges
    where edge_status = 'edge'
),

-- From every company, follow parents while the next one is new to the path.
walk (start_key, current_key, steps, visited) as (
    select
        company_key,
        parent_company_key,
        1,
        '|' || company_key || '|'
    from open_edges
    union all
    select
        walk.start_key,
        open_edges.parent_company_key,
        walk.steps + 1,
        walk.visited || walk.current_key || '|'
    from walk
    inner join open_edges on walk.current_key = open_edges.company_key
    where position('|' || walk.current_key || '|' in walk.visited) = 0
        and walk.steps < {{ max_depth }}
),

-- A company is on a cycle when its own walk comes back to it; every step of
-- that walk is then a member of the same cycle.
cycle_members as (
    select distinct start_key as company_key
    from walk
    where current_key = start_key
),

cycle_steps as (
    select
        walk.start_key,
        walk.steps,
        open_edges.crm_account_id as step_crm_account_id
    from walk
    inner join cycle_members on walk.start_key = cycle_members.company_key
    inner join open_edges on walk.current_key = open_edges.company_key
),

cycle_walks as (
    select
        cycle_steps.start_key as company_key,
        open_edges.crm_account_id,
        min(cycle_steps.step_crm_account_id) as first_crm_account_id,
        count(*) as cycle_length,
        open_edges.crm_account_id || ' > ' || {{ dbt.listagg(
            'cycle_steps.step_crm_account_id', "' > '", 'order by cycle_steps.steps'
        ) }} as cycle_path
    from cycle_steps
    inner join open_edges on cycle_steps.start_key = open_edges.company_key
    group by cycle_steps.start_key, open_edges.crm_account_id
),

-- Every member reports the cycle as read from its smallest CRM account id.
cycles as (
    select
        cycle_walks.company_key,
        cycle_walks.crm_account_id = cycle_walks.first_crm_account_id as is_broken_here,
        'cycle of ' || cast(cycle_walks.cycle_length as varchar) || ': '
        || first_walks.cycle_path || '; the parent edge of '
        || cycle_walks.first_crm_account_id || ' is dropped (it becomes the top)'
            as detail
    from cycle_walks
    inner join cycle_walks as first_walks
        on cycle_walks.first_crm_account_id = first_walks.crm_account_id
),

-- Walks that reached the cap without ending: a chain deeper than the cap.
capped as (
    select distinct walk.start_key as company_key
    from walk
    inner join open_edges on walk.current_key = open_edges.company_key
    where walk.steps >= {{ max_depth }}
        and position('|' || walk.current_key || '|' in walk.visited) = 0
),

final as (
    select
        companies.company_key,
        checked_edges.crm_account_id,
        checked_edges.parent_crm_account_id as recorded_parent_crm_account_id,
        checked_edges.recorded_parent_company_key,
        case
            when cycles.is_broken_here then null
            when checked_edges.edge_status = 'edge'
                then checked_edges.recorded_parent_company_key
        end as parent_company_key,
        case
            when cycles.company_key is not null then 'hierarchy_cycle'
            when capped.company_key is not null then 'hierarchy_too_deep'
            else coalesce(checked_edges.edge_status, 'top')
        end as edge_status,
        case
            when cycles.company_key is not null then cycles.detail
            when capped.company_key is not null
                then 'the parent chain is longer than {{ max_depth }} (var hierarchy_max_depth); ancestors beyond it are left out'
            when checked_edges.edge_status = 'dangling_parent'
                then 'ParentId ' || checked_edges.parent_crm_account_id
                || case
                    when present_parents.company_key is null
                        then ' is not a CRM account we know'
                    else ' is a deleted CRM account'
                end
                || ' at that time; the company is treated as a top'
        end as detail
    from companies
    left join checked_edges on companies.company_key = checked_edges.company_key
    left join cycles on companies.company_key = cycles.company_key
    left join capped on companies.company_key = capped.company_key
    left join present_companies as present_parents
        on checked_edges.recorded_parent_company_key = present_parents.company_key
)

select
    company_key,
    crm_account_id,
    recorded_parent_crm_account_id,
    recorded_parent_company_key,
    parent_company_key,
    edge_status,
    detail
from final
{%- endmacro %}
