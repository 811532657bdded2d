{#-
    One row per company and industry node assigned to it today: its
    primary node and its secondary nodes, read from the latest
    industry_code and secondary_industry_codes of
    int_company_classification_changes, so it always agrees with
    dim_companies. classification_source: where the node came from
    (`seed:company_classification.csv`, or crm / events for the CRM
    mapping).
-#}
with

classification_changes as (
    select * from {{ ref('int_company_classification_changes') }}
),

latest_values as (
    select
        company_key,
        attribute,
        new_value,
        source
    from classification_changes
    where attribute in ('industry_code', 'secondary_industry_codes')
    qualify row_number() over (
            partition by company_key, attribute order by changed_at desc
        ) = 1
),

primary_nodes as (
    select
        company_key,
        new_value as industry_code,
        source as classification_source,
        true as is_primary
    from latest_values
    where attribute = 'industry_code'
        and new_value is not null
),

secondary_nodes as (
    select
        company_key,
        {{ unnest_list(split_to_list('new_value', "'|'")) }} as industry_code,
        source as classification_source,
        false as is_primary
    from latest_values
    where attribute = 'secondary_industry_codes'
        and new_value is not null
),

unioned as (
    select * from primary_nodes
    union all
    select * from secondary_nodes
),

final as (
    select
        -- ids
        company_key,
        industry_code,
        -- strings
        classification_source,
        -- booleans
        is_primary
    from unioned
    qualify row_number() over (
            partition by company_key, industry_code order by is_primary desc
        ) = 1
)

select * from final
