{#-
    One row per observed value of a classification attribute of a company
    (company_key, attribute, source_precedence, observed_at), for
    int_company_classification_changes to resolve:
      industry_code             customer success's primary node (precedence
                                0), else the CRM Industry text mapped by
                                crm_industry_map (precedence 1)
      secondary_industry_codes  customer success's other nodes, by code,
                                joined by '|'
      use_case, business_type   customer success (the primary row's)
      employee_size_band,       the band (company_size_bands) of every
      revenue_size_band         change of employee_count / annual_revenue
    Customer success's values change when a build's snapshot saw the seed
    change, except the first time a company is classified: that
    classification holds since the company's first version (see
    {{ doc('industry_classification') }}). A company whose rows all go
    has null customer-success values from then: the CRM mapping is back.
-#}
{%- set cs_source = 'seed:company_classification.csv' -%}
{%- set cs_attributes = [
    'industry_code', 'secondary_industry_codes', 'use_case', 'business_type'
] -%}
with

assignments as (
    select * from {{ ref('int_company_classification_assignments') }}
),

attribute_changes as (
    select * from {{ ref('int_company_attribute_changes') }}
),

crm_values as (
    select * from {{ ref('int_crm_industry_values') }}
),

size_bands as (
    select * from {{ ref('stg_seeds__company_size_bands') }}
),

-- when each company's first version starts (as dim_companies_history)
companies as (
    select
        company_key,
        born_at
    from {{ ref('int_company_first_observations') }}
),

cs_rows as (
    select
        company_key,
        industry_code,
        use_case,
        business_type,
        is_primary,
        valid_from,
        valid_to
    from assignments
    where assignment_status = 'ok'
),

-- every instant a company's set of rows changed
cs_change_points as (
    select
        company_key,
        valid_from as changed_at
    from cs_rows
    union
    select
        company_key,
        valid_to as changed_at
    from cs_rows where valid_to is not null
),

cs_rows_at_points as (
    select
        cs_change_points.company_key,
        cs_change_points.changed_at,
        cs_rows.industry_code,
        cs_rows.use_case,
        cs_rows.business_type,
        cs_rows.is_primary
    from cs_change_points
    left join cs_rows
        on cs_change_points.company_key = cs_rows.company_key
        and cs_rows.valid_from <= cs_change_points.changed_at
        and (cs_rows.valid_to is null or cs_rows.valid_to > cs_change_points.changed_at)
),

-- several primary rows: the first by code is primary, the others secondary
cs_primaries as (
    select
        company_key,
        changed_at,
        min(case when is_primary then industry_code end) as primary_industry_code
    from cs_rows_at_points
    group by company_key, changed_at
),

cs_states as (
    select
        cs_rows_at_points.company_key,
        cs_rows_at_points.changed_at,
        cs_primaries.primary_industry_code as industry_code,
        {{ dbt.listagg(
            "case when cs_rows_at_points.industry_code is distinct from cs_primaries.primary_industry_code then cs_rows_at_points.industry_code end",
            "'|'",
            'order by cs_rows_at_points.industry_code'
        ) }} as secondary_industry_codes,
        coalesce(
            max(case
                when cs_rows_at_points.industry_code = cs_primaries.primary_industry_code
                    then cs_rows_at_points.use_case
            end),
            min(cs_rows_at_points.use_case)
        ) as use_case,
        coalesce(
            max(case
                when cs_rows_at_points.industry_code = cs_primaries.primary_industry_code
                    then cs_rows_at_points.business_type
            end),
            min(cs_rows_at_points.business_type)
        ) as business_type
    from cs_rows_at_points
    inner join cs_primaries
        on cs_rows_at_points.company_key = cs_primaries.company_key
        and cs_rows_at_points.changed_at = cs_primaries.changed_at
    group by
        cs_rows_at_points.company_key,
        cs_rows_at_points.changed_at,
        cs_primaries.primary_industry_code
),

-- a company's first classification holds since its first version
cs_dated_states as (
    select
        cs_states.company_key,
        cs_states.industry_code,
        cs_states.secondary_industry_codes,
        cs_states.use_case,
        cs_states.business_type,
        case
            when row_number() over (
                    partition by cs_states.company_key order by cs_states.changed_at
                ) = 1
                then least(cs_states.changed_at, coalesce(companies.born_at, cs_states.changed_at))
            else cs_states.changed_at
        end as observed_at
    from cs_states
    left join companies on cs_states.company_key = companies.company_key
),

cs_observations as (
    {% for attribute in cs_attributes %}
        select
            company_key,
            '{{ attribute }}' as attribute,
            cast({{ attribute }} as varchar) as attribute_value,
            observed_at,
            '{{ cs_source }}' as source,
            0 as source_precedence,
            'company_classification_snapshot' as source_model
        from cs_dated_states
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

crm_industry_observations as (
    select
        attribute_changes.company_key,
        'industry_code' as attribute,
        crm_values.industry_code as attribute_value,
        attribute_changes.changed_at as observed_at,
        attribute_changes.source,
        1 as source_precedence,
        'int_company_attribute_changes' as source_model
    from attribute_changes
    left join crm_values
        on {{ label_key('attribute_changes.new_value') }} = crm_values.crm_value_key
    where attribute_changes.attribute = 'industry'
),

size_values as (
    select
        company_key,
        case attribute
            when 'employee_count' then 'employee_size_band'
            else 'revenue_size_band'
        end as attribute,
        case attribute
            when 'employee_count' then 'employees'
            else 'annual_revenue'
        end as measure,
        {{ dbt.safe_cast('new_value', 'decimal(18, 2)') }} as size_value,
        changed_at,
        source
    from attribute_changes
    where attribute in ('employee_count', 'annual_revenue')
),

band_observations as (
    select
        size_values.company_key,
        size_values.attribute,
        size_bands.band_code as attribute_value,
        size_values.changed_at as observed_at,
        size_values.source,
        1 as source_precedence,
        'int_company_attribute_changes' as source_model
    from size_values
    left join size_bands
        on size_values.measure = size_bands.measure
        and size_values.size_value >= size_bands.lower_bound
        and (size_bands.upper_bound is null or size_values.size_value < size_bands.upper_bound)
),

unioned as (
    select * from cs_observations
    union all
    select * from crm_industry_observations
    union all
    select * from band_observations
),

final as (
    select
        -- ids
        company_key,
        -- strings
        attribute,
        attribute_value,
        source,
        source_model,
        -- numerics
        source_precedence,
        -- timestamps (UTC)
        observed_at
    from unioned
)

select * from final
