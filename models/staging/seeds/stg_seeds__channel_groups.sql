{#-
    One row per channel rule (seed channel_groups, owned by marketing
    operations): source and medium lower-cased and trimmed (`*` matches
    anything).
-#}
with

source as (
    select * from {{ ref('channel_groups') }}
),

renamed as (
    select
        -- strings
        lower(trim(source)) as source_pattern,
        lower(trim(medium)) as medium_pattern,
        lower(trim(channel)) as channel,
        -- numerics
        cast(rule_order as integer) as rule_order
    from source
    where rule_order is not null
)

select * from renamed
