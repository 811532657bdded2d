{#-
    One row per CS override row as typed (checked in int_feature_access_overrides): seed feature_access_overrides, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('feature_access_overrides') }}
),

typed as (
    select
        cast(company_id as varchar) as company_id,
        cast(feature as varchar) as feature,
        cast(access as varchar) as access,
        cast(starts_on as varchar) as starts_on,
        cast(ends_on as varchar) as ends_on,
        cast(reason as varchar) as reason
    from source
)

select * from typed
