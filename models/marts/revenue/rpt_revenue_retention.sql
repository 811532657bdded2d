{#-
    One row per roll-up (company, ultimate_parent), period end month,
    window (1, 3 or 12 months), segment type and segment: the MRR the
    segment's customers had at the start of the window, what new,
    reactivated, expanding, contracting and churned customers did to it,
    the MRR at the end, and NRR, GRR and logo retention over the window.
    What was NRR over the last quarter? Which sector retains best? How much
    did contraction cost us this year? Rules: doc block `retention_rules`.
-#}
with

monthly as (
    select
        company_key,
        currency,
        month,
        mrr
    from {{ ref('fct_mrr_monthly') }}
),

rates as (
    select
        month,
        currency,
        fx_rate
    from {{ ref('int_fx_rates_monthly') }}
),

parents as (
    select
        month,
        company_key,
        ultimate_parent_company_key
    from {{ ref('int_company_ultimate_parents_monthly') }}
),

history as (
    select
        company_key,
        industry_code,
        employee_size_band,
        plan,
        valid_from,
        valid_to
    from {{ ref('dim_companies_history') }}
),

sectors as (
    select
        industries.industry_code,
        sectors.industry_name as sector_name
    from {{ ref('dim_industries') }} as industries
    inner join {{ ref('dim_industries') }} as sectors
        on industries.primary_sector_code = sectors.industry_code
),

windows as (
    select 1 as window_months
    union all
    select 3 as window_months
    union all
    select 12 as window_months
),

periods as (
    select
        ends.month as period_end_month,
        windows.window_months,
        cast({{ dbt.dateadd('month', '-windows.window_months', 'ends.month') }} as date)
            as period_start_month
    from (select distinct month from monthly) as ends
    cross join windows
),

-- each company's MRR per currency at the window's start (the end of its
-- start month) and end, both at the end month's rate: constant currency
ends as (
    select
        periods.period_end_month,
        periods.window_months,
        monthly.company_key,
        monthly.currency,
        monthly.mrr
    from periods
    inner join monthly on periods.period_end_month = monthly.month
),

starts as (
    select
        periods.period_end_month,
        periods.window_months,
        monthly.company_key,
        monthly.currency,
        monthly.mrr
    from periods
    inner join monthly on periods.period_start_month = monthly.month
),

company_windows as (
    select
        coalesce(ends.period_end_month, starts.period_end_month) as period_end_month,
        coalesce(ends.window_months, starts.window_months) as window_months,
        coalesce(ends.company_key, starts.company_key) as company_key,
        coalesce(ends.currency, starts.currency) as currency,
        coalesce(starts.mrr, 0) as start_mrr,
        coalesce(ends.mrr, 0) as end_mrr
    from ends
    full outer join starts
        on ends.period_end_month = starts.period_end_month
        and ends.window_months = starts.window_months
        and ends.company_key = starts.company_key
        and ends.currency = starts.currency
),

converted as (
    select
        company_windows.*,
        rates.fx_rate
    from company_windows
    left join rates
        on company_windows.currency = rates.currency
        and company_windows.period_end_month = rates.month
),

-- the customer each roll-up counts: the company, or its ultimate parent
-- as of the end month (each company counted once, under one parent)
entities as (
    select
        'company' as rollup,
        period_end_month,
        window_months,
        company_key as entity_key,
        {{ convert_amount('start_mrr', 'fx_rate') }} as start_mrr,
        {{ convert_amount('end_mrr', 'fx_rate') }} as end_mrr,
        case when fx_rate is null then 1 else 0 end as unconverted
    from converted
    union all
    select
        'ultimate_parent' as rollup,
        converted.period_end_month,
        converted.window_months,
        coalesce(parents.ultimate_parent_company_key, converted.company_key) as entity_key,
        {{ convert_amount('converted.start_mrr', 'converted.fx_rate') }} as start_mrr,
        {{ convert_amount('converted.end_mrr', 'converted.fx_rate') }} as end_mrr,
        case when converted.fx_rate is null then 1 else 0 end as unconverted
    from converted
    left join parents
        on converted.period_end_month = parents.month
        and converted.company_key = parents.company_key
),

entity_windows as (
    select
        rollup,
        period_end_month,
        window_months,
        entity_key,
        sum(start_mrr) as start_mrr,
        sum(end_mrr) as end_mrr,
        sum(unconverted) as unconverted
    from entities
    group by rollup, period_end_month, window_months, entity_key
),

-- an entity's first month with MRR (a customer with MRR before the window
-- who comes back is reactivated, not new)
first_months as (
    select
        'company' as rollup,
        company_key as entity_key,
        min(month) as first_month
    from monthly
    where mrr > 0
    group by company_key
    union all
    select
        'ultimate_parent' as rollup,
        coalesce(parents.ultimate_parent_company_key, monthly.company_key) as entity_key,
        min(monthly.month) as first_month
    from monthly
    left join parents
        on monthly.month = parents.month
        and monthly.company_key = parents.company_key
    where monthly.mrr > 0
    group by coalesce(parents.ultimate_parent_company_key, monthly.company_key)
),

-- segments: the entity's attributes at the window's start (the first
-- instant after its start month); a company not yet known: 'unknown'
attributes as (
    select
        entity_windows.*,
        cast(
            {{ dbt.dateadd(
                'month', '1 - entity_windows.window_months', 'entity_windows.period_end_month'
            ) }} as date
        ) as period_start_month,
        first_months.first_month,
        coalesce(sectors.sector_name, 'unknown') as industry_sector,
        coalesce(history.employee_size_band, 'unknown') as employee_size_band,
        coalesce(history.plan, 'unknown') as plan
    from entity_windows
    left join first_months
        on entity_windows.rollup = first_months.rollup
        and entity_windows.entity_key = first_months.entity_key
    left join history
        on entity_windows.entity_key = history.company_key
        and history.valid_from
        < cast(
            {{ dbt.dateadd(
                'month',
                '1 - entity_windows.window_months',
                'entity_windows.period_end_month'
            ) }} as timestamp
        )
        and (
            history.valid_to is null
            or history.valid_to
            >= cast(
                {{ dbt.dateadd(
                    'month',
                    '1 - entity_windows.window_months',
                    'entity_windows.period_end_month'
                ) }} as timestamp
            )
        )
    left join sectors on history.industry_code = sectors.industry_code
),

-- each entity once per segment type it falls in
segmented as (
    {% for segment_type, segment in [
        ('all', "'all'"), ('industry_sector', 'industry_sector'),
        ('employee_size_band', 'employee_size_band'), ('plan', 'plan'),
    ] %}
        select
            rollup,
            period_end_month,
            window_months,
            unconverted,
            start_mrr,
            end_mrr,
            '{{ segment_type }}' as segment_type,
            {{ segment }} as segment,
            start_mrr = 0 and end_mrr > 0 and first_month >= period_start_month as is_new,
            start_mrr = 0 and end_mrr > 0 and first_month < period_start_month as is_reactivated
        from attributes
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

summarized as (
    select
        rollup,
        period_end_month,
        window_months,
        segment_type,
        segment,
        sum(unconverted) as unconverted,
        sum(start_mrr) as start_mrr,
        sum(end_mrr) as end_mrr,
        sum(case when is_new then end_mrr else 0 end) as new_mrr,
        sum(case when is_reactivated then end_mrr else 0 end) as reactivation_mrr,
        sum(case when start_mrr > 0 and end_mrr > start_mrr then end_mrr - start_mrr else 0 end)
            as expansion_mrr,
        sum(
            case
                when start_mrr > 0 and end_mrr > 0 and end_mrr < start_mrr
                    then end_mrr - start_mrr
                else 0
            end
        ) as contraction_mrr,
        sum(case when start_mrr > 0 and end_mrr = 0 then -start_mrr else 0 end) as churn_mrr,
        sum(case when start_mrr > 0 then end_mrr else 0 end) as retained_mrr,
        sum(
            case
                when start_mrr > 0 and end_mrr < start_mrr then end_mrr
                when start_mrr > 0 then start_mrr
                else 0
            end
        ) as gross_retained_mrr,
        sum(case when start_mrr > 0 then 1 else 0 end) as start_customer_count,
        sum(case when start_mrr > 0 and end_mrr > 0 then 1 else 0 end) as retained_customer_count,
        sum(case when end_mrr > 0 then 1 else 0 end) as end_customer_count
    from segmented
    group by rollup, period_end_month, window_months, segment_type, segment
),

final as (
    select
        -- strings
        cast(rollup as varchar) as rollup,
        cast(segment_type as varchar) as segment_type,
        cast(segment as varchar) as segment,
        cast({{ reporting_currency() }} as varchar) as reporting_currency,
        -- numerics
        cast(window_months as integer) as window_months,
        {% for column in [
            'start_mrr', 'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr',
            'churn_mrr', 'end_mrr', 'retained_mrr', 'gross_retained_mrr',
        ] -%}
            cast(case when unconverted = 0 then {{ column }} end as decimal(18, 4))
                as {{ column }}_reporting,
        {% endfor -%}
        cast(start_customer_count as bigint) as start_customer_count,
        cast(retained_customer_count as bigint) as retained_customer_count,
        cast(end_customer_count as bigint) as end_customer_count,
        cast(
            case when unconverted = 0 then retained_mrr / nullif(start_mrr, 0) end as double
        ) as net_revenue_retention,
        cast(
            case when unconverted = 0 then gross_retained_mrr / nullif(start_mrr, 0) end as double
        ) as gross_revenue_retention,
        cast(retained_customer_count / nullif(cast(start_customer_count as double), 0) as double)
            as logo_retention,
        cast(unconverted as bigint) as unconverted_row_count,
        -- dates
        period_end_month,
        cast({{ dbt.dateadd('month', '1 - window_months', 'period_end_month') }} as date)
            as period_start_month
    from summarized
)

select * from final
