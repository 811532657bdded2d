{#-
    One row per alias: seed timezone_aliases, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('timezone_aliases') }}
),

typed as (
    select
        cast(alias as varchar) as alias,
        cast(timezone as varchar) as timezone,
        cast(note as varchar) as note
    from source
)

select * from typed
