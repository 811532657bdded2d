{#-
    One row per alias: seed country_aliases, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('country_aliases') }}
),

typed as (
    select
        cast(alias as varchar) as alias,
        cast(country_code as varchar) as country_code,
        cast(note as varchar) as note
    from source
)

select * from typed
