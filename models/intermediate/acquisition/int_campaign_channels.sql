{#-
    One row per source and medium (source_key, medium_key) that campaign
    touches carry: the channel of the first rule of seed channel_groups
    (by rule_order) whose source and medium both match, exactly or `*`;
    `unassigned` when none does (reported in ops.data_issues). Small (the
    distinct UTM pairs) and rebuilt every run, so a rule edit re-channels
    every touch at once (doc block `campaign_touches`).
-#}
with

pairs as (
    select
        source_key,
        medium_key,
        count(*) as touch_count,
        min(occurred_at) as first_touch_at,
        max(occurred_at) as last_touch_at
    from {{ ref('int_campaign_touches') }}
    group by source_key, medium_key
),

rules as (
    select
        rule_order,
        source_pattern,
        medium_pattern,
        channel
    from {{ ref('stg_seeds__channel_groups') }}
),

matches as (
    select
        pairs.source_key,
        pairs.medium_key,
        rules.rule_order,
        rules.channel
    from pairs
    inner join rules
        on (rules.source_pattern = '*' or rules.source_pattern = pairs.source_key)
        and (rules.medium_pattern = '*' or rules.medium_pattern = pairs.medium_key)
    qualify row_number() over (
            partition by pairs.source_key, pairs.medium_key
            order by rules.rule_order
        ) = 1
),

final as (
    select
        -- keys
        cast(pairs.source_key as varchar) as source_key,
        cast(pairs.medium_key as varchar) as medium_key,
        -- strings
        cast(coalesce(matches.channel, 'unassigned') as varchar) as channel,
        -- numerics
        cast(matches.rule_order as integer) as rule_order,
        cast(pairs.touch_count as bigint) as touch_count,
        -- booleans
        matches.channel is null as is_unassigned,
        -- timestamps (UTC)
        pairs.first_touch_at,
        pairs.last_touch_at
    from pairs
    left join matches
        on pairs.source_key = matches.source_key
        and pairs.medium_key = matches.medium_key
)

select * from final
