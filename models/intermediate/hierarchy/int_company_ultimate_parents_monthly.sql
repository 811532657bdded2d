{#-
    One row per month and company known to the CRM hierarchy at the end of
    that month (month, company_key): its ultimate parent then. Months span
    the revenue history (the first month with a subscription window to the
    latest billing extract). The hierarchy only changes when a parent link
    or a delete does (int_company_parents_history), so it is computed once
    per such change (macro company_hierarchy_as_of) and each month takes
    the latest one before its end. A company missing here (billing-only, or
    not yet in the CRM) is its own ultimate parent.
-#}
-- depends_on: {{ ref('int_company_identifiers') }}
-- depends_on: {{ ref('int_company_parents_history') }}
{%- set months_sql -%}
    select
        month_start_date as month,
        {{ dbt.dateadd('month', 1, 'cast(month_start_date as timestamp)') }} as month_end_at
    from {{ ref('int_calendar_days') }}
    where calendar_date = month_start_date
        and calendar_date >= (
            select cast({{ dbt.date_trunc('month', 'min(valid_from)') }} as date)
            from {{ ref('int_subscription_mrr_windows') }}
        )
        and calendar_date <= (
            select max(extract_date) from {{ ref('int_subscription_observations') }}
        )
{%- endset -%}
{%- set changes_sql -%}
    select valid_from as changed_at from {{ ref('int_company_parents_history') }}
    union
    select valid_to as changed_at from {{ ref('int_company_parents_history') }}
    where valid_to is not null
{%- endset -%}
{%- set versions = [] -%}
{%- if execute -%}
    {%- set found = run_query(
        'with months as (' ~ months_sql ~ '), changes as (' ~ changes_sql ~ ')'
        ~ ' select distinct cast((select max(changed_at) from changes'
        ~ ' where changed_at < months.month_end_at) as varchar) from months'
    ) -%}
    {%- for row in found.rows -%}
        {%- if row[0] is not none -%}{%- do versions.append(row[0]) -%}{%- endif -%}
    {%- endfor -%}
{%- endif %}
with

months as (
    {{ months_sql }}
),

changes as (
    {{ changes_sql }}
),

-- each month's hierarchy version: the latest change before its end
month_versions as (
    select
        months.month,
        max(changes.changed_at) as version_at
    from months
    inner join changes on changes.changed_at < months.month_end_at
    group by months.month
),

hierarchies as (
    {% for version in versions %}
        select
            cast('{{ version }}' as timestamp) as version_at,
            hierarchy.company_key,
            hierarchy.ultimate_parent_company_key
        from ({{ company_hierarchy_as_of("cast('" ~ version ~ "' as timestamp)") }}) as hierarchy
        {% if not loop.last %}union all{% endif %}
    {% else %}
        select
            cast(null as timestamp) as version_at,
            cast(null as varchar) as company_key,
            cast(null as varchar) as ultimate_parent_company_key
        where false
    {% endfor %}
),

final as (
    select
        -- keys
        hierarchies.company_key,
        hierarchies.ultimate_parent_company_key,
        -- dates
        month_versions.month,
        -- timestamps (UTC)
        month_versions.version_at
    from month_versions
    inner join hierarchies on month_versions.version_at = hierarchies.version_at
)

select * from final
