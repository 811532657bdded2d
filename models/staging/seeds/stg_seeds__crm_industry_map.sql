{#-
    One row per CRM Industry value in the seed crm_industry_map, with its
    comparison key (label_key: case, spaces, `-`, `_`, `.` ignored); an
    empty industry_code means "not an industry".
-#}
with

source as (
    select * from {{ ref('crm_industry_map') }}
),

renamed as (
    select
        -- ids
        {{ label_key('crm_value') }} as crm_value_key,
        nullif(lower(trim(industry_code)), '') as industry_code,
        -- strings
        trim(crm_value) as crm_value,
        nullif(trim(note), '') as note
    from source
)

select * from renamed
