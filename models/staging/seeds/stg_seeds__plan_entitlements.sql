{#-
    One row per plan and feature: seed plan_entitlements, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('plan_entitlements') }}
),

typed as (
    select
        cast(plan as varchar) as plan,
        cast(feature as varchar) as feature,
        cast(note as varchar) as note
    from source
)

select * from typed
