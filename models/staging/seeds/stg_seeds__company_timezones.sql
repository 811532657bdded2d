{#-
    One row per company and effective date (company_id, effective_from): seed company_timezones, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('company_timezones') }}
),

typed as (
    select
        cast(company_id as varchar) as company_id,
        cast(timezone as varchar) as timezone,
        cast(effective_from as date) as effective_from,
        cast(note as varchar) as note
    from source
)

select * from typed
