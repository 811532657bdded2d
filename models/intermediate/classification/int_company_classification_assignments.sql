{#-
    One row per version of a row of customer success's
    company_classification.csv (company_classification_snapshot): the
    company it names resolved to today's surviving company_key, the node,
    primary or secondary, use case and business type, valid over
    [valid_from, valid_to) in build time (when a build first saw the
    version, and when one saw it change or go). assignment_status:
      ok                     used
      unknown_company_id     company_id names no company we know: ignored
      unknown_industry_code  industry_code is not in the taxonomy: ignored
-#}
with

snapshot as (
    select * from {{ ref('company_classification_snapshot') }}
),

seed_ids as (
    select * from {{ ref('int_company_seed_ids') }}
),

nodes as (
    select * from {{ ref('stg_seeds__industry_taxonomy') }}
),

final as (
    select
        -- ids
        snapshot.company_id,
        seed_ids.company_key,
        snapshot.industry_code,
        -- strings
        snapshot.use_case,
        snapshot.business_type,
        case
            when seed_ids.company_key is null then 'unknown_company_id'
            when nodes.industry_code is null then 'unknown_industry_code'
            else 'ok'
        end as assignment_status,
        -- numerics
        snapshot.source_row_count,
        -- booleans
        snapshot.is_primary,
        snapshot.dbt_valid_to is null as is_current,
        -- timestamps (UTC)
        cast(snapshot.dbt_valid_from as timestamp) as valid_from,
        cast(snapshot.dbt_valid_to as timestamp) as valid_to
    from snapshot
    left join seed_ids on snapshot.company_id = seed_ids.company_id
    left join nodes on snapshot.industry_code = nodes.industry_code
)

select * from final
