{#-
    One row per taxonomy parent link (seed industry_taxonomy_edges), codes
    trimmed and lower-cased; an empty is_primary_parent is false.
-#}
with

source as (
    select * from {{ ref('industry_taxonomy_edges') }}
),

renamed as (
    select
        -- ids
        lower(trim(industry_code)) as industry_code,
        lower(trim(parent_industry_code)) as parent_industry_code,
        -- booleans
        coalesce(is_primary_parent, false) as is_primary_parent
    from source
)

select * from renamed
