{#-
    One row per distinct CRM Industry text (compared by label_key: case,
    spaces, `-`, `_`, `.` ignored) that any company ever had as its
    resolved `industry` attribute (CRM Industry, else the app's
    traits.industry), with what crm_industry_map makes of it
    (mapping_status):
      mapped                 a row maps it to a known taxonomy node
      not_an_industry        a row maps it to nothing on purpose ("Unknown")
      unmapped               no row: reported in ops.data_issues
      unknown_industry_code  a row maps it to a code not in the taxonomy:
                             reported, treated as unmapped
-#}
with

attribute_changes as (
    select * from {{ ref('int_company_attribute_changes') }}
),

-- a key the seed repeats (its unique test fails) maps by its first row
industry_map as (
    select * from {{ ref('stg_seeds__crm_industry_map') }}
    qualify row_number() over (
            partition by crm_value_key order by industry_code nulls last
        ) = 1
),

nodes as (
    select * from {{ ref('stg_seeds__industry_taxonomy') }}
),

industry_values as (
    select
        company_key,
        new_value as crm_value,
        {{ label_key('new_value') }} as crm_value_key,
        changed_at,
        row_number() over (
            partition by company_key order by changed_at desc
        ) = 1 as is_latest
    from attribute_changes
    where attribute = 'industry'
),

value_summary as (
    select
        crm_value_key,
        min(crm_value) as crm_value,
        count(distinct crm_value) as spelling_count,
        count(distinct company_key) as company_count,
        count(distinct case when is_latest then company_key end) as current_company_count
    from industry_values
    where nullif(trim(crm_value), '') is not null
    group by crm_value_key
),

final as (
    select
        -- ids
        value_summary.crm_value_key,
        case when nodes.industry_code is not null then industry_map.industry_code end
            as industry_code,
        -- strings
        value_summary.crm_value,
        case
            when industry_map.crm_value_key is null then 'unmapped'
            when industry_map.industry_code is null then 'not_an_industry'
            when nodes.industry_code is null then 'unknown_industry_code'
            else 'mapped'
        end as mapping_status,
        industry_map.industry_code as mapped_industry_code,
        -- numerics
        value_summary.spelling_count,
        value_summary.company_count,
        value_summary.current_company_count
    from value_summary
    left join industry_map on value_summary.crm_value_key = industry_map.crm_value_key
    left join nodes on industry_map.industry_code = nodes.industry_code
)

select * from final
