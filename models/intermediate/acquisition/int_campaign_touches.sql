{#-
    One row per consented message carrying a campaign (any UTM field):
    its person (logged in, or the person its anonymous id was later linked
    to: int_events_attributed), its company as of the message, the device
    (anonymous id), the UTM fields and the source and medium the channel
    rules match on (source_key, medium_key). The channel is not stored
    here: int_campaign_channels maps each source and medium, rebuilt every
    run, so a seed edit never needs these rows rewritten (doc block
    `campaign_touches`).

    Incremental by company-local day, the pattern of the daily facts (doc
    block `events_incremental`): a run rebuilds only the days that
    messages int_events_attributed wrote since its last run touch, as they
    are and as they were, and the days of campaign messages landed since
    (a re-landed message may change only its device). A rebuilt day is
    replaced whole; a day left without touches gets one empty row, deleted
    by the post-hook. When a message changed twice since the last run,
    every day is rebuilt. Only campaign messages are read from the events.
    A touch older than the retention cut-off is deleted (doc block
    `event_retention`): it is one row per message.
-#}
{{ config(
    post_hook=[
        "{{ delete_empty_groups('message_id is null') }}",
        "{{ delete_aged_out_events('occurred_at') }}",
    ],
    **event_fact_config(['local_date'])
) }}
{%- set since = incremental_watermark('_built_at') %}
{%- set by_group = is_incremental() and event_changes_are_complete(since) %}
{%- set has_campaign -%}
    coalesce(
        campaign_source, campaign_medium, campaign_name, campaign_term, campaign_content
    ) is not null
{%- endset %}
with

{% if by_group %}
landed as (
    select message_id
    from {{ ref('stg_events__messages_consented') }}
    where _loaded_at > {{ since }}
        and {{ has_campaign }}
),

-- the days to rebuild: those of messages written since the last run, as
-- they are and as they were, and those of campaign messages landed since
changed_groups as (
    select local_date
    from {{ ref('int_events_attributed') }}
    where _attributed_at > {{ since }} and local_date is not null
    union
    select _previous_local_date as local_date
    from {{ ref('int_events_attributed') }}
    where _attributed_at > {{ since }} and _previous_local_date is not null
    union
    select local_date
    from {{ ref('int_events_attributed') }}
    where message_id in (select message_id from landed) and local_date is not null
    union
    select local_date
    from {{ this }}
    where message_id in (select message_id from landed)
),

touches as (
    select
        message_id,
        person_key,
        company_key,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        local_date,
        occurred_at
    from {{ ref('int_events_attributed') }}
    where not coalesce(_is_removed, false)
        and {{ has_campaign }}
        and local_date in (select local_date from changed_groups)
),
{% else %}
    touches as (
        select
            message_id,
            person_key,
            company_key,
            campaign_source,
            campaign_medium,
            campaign_name,
            campaign_term,
            campaign_content,
            local_date,
            occurred_at
        from {{ ref('int_events_attributed') }}
        where not coalesce(_is_removed, false)
            and {{ has_campaign }}
    ),
{% endif %}

devices as (
    select
        message_id,
        anonymous_id
    from {{ ref('stg_events__messages_consented') }}
    where {{ has_campaign }}
        and message_id in (select message_id from touches)
),

final as (
    select
        -- keys
        cast(touches.message_id as varchar) as message_id,
        cast(touches.person_key as varchar) as person_key,
        cast(touches.company_key as varchar) as company_key,
        -- ids
        cast(devices.anonymous_id as varchar) as anonymous_id,
        -- strings
        touches.campaign_source,
        touches.campaign_medium,
        touches.campaign_name,
        touches.campaign_term,
        touches.campaign_content,
        -- what the channel rules match: lower-cased, trimmed, (not set) when empty
        cast(coalesce(nullif(lower(trim(touches.campaign_source)), ''), '(not set)') as varchar)
            as source_key,
        cast(coalesce(nullif(lower(trim(touches.campaign_medium)), ''), '(not set)') as varchar)
            as medium_key,
        -- dates
        cast(touches.local_date as date) as local_date,
        -- timestamps (UTC)
        touches.occurred_at,
        {{ run_started_at_utc() }} as _built_at
    from touches
    left join devices on touches.message_id = devices.message_id
    {%- if is_incremental() %}
    -- a rebuilt day left without touches: one empty row, then deleted
    union all
    select
        cast(null as varchar) as message_id,
        cast(null as varchar) as person_key,
        cast(null as varchar) as company_key,
        cast(null as varchar) as anonymous_id,
        cast(null as varchar) as campaign_source,
        cast(null as varchar) as campaign_medium,
        cast(null as varchar) as campaign_name,
        cast(null as varchar) as campaign_term,
        cast(null as varchar) as campaign_content,
        cast(null as varchar) as source_key,
        cast(null as varchar) as medium_key,
        cast(emptied.local_date as date) as local_date,
        cast(null as timestamp) as occurred_at,
        {{ run_started_at_utc() }} as _built_at
    {%- if by_group %}
    from changed_groups as emptied
    {%- else %}
    -- a full rebuild replaces every day held
    from (select distinct local_date from {{ this }}) as emptied
    {%- endif %}
    {%- endif %}
)

select * from final
