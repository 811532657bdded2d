{#-
    One row per tz database name (timezone): seed timezones, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('timezones') }}
),

typed as (
    select
        cast(timezone as varchar) as timezone,
        cast(canonical_timezone as varchar) as canonical_timezone
    from source
)

select * from typed
