{#-
    One row per company (or none), company-local day, person and feature
    (null: activity that is no feature use) with consented activity: the
    track, page and screen calls of a known person, their key events (the
    event dictionary's is_key_event) and their first and last time. The
    person-level ground of adoption journeys and of company health (active
    people per week), so that neither scans the events: person-days are far
    fewer than events. A listed event is use of the dictionary's feature,
    an unlisted one of the feature its properties name (the rule of
    fct_feature_usage_daily); feature toggles are activity, not use.

    Incremental (doc block `events_incremental`): a run recounts only the
    company-days that events written since its last run touch, before or
    after their change (a person whose events moved to another person keeps
    the same company-day, so it is recounted too); events without a company
    are one group per day; a change of the event dictionary rebuilds it
    all. A recounted company-day is replaced whole. A day frozen by
    retention (doc block `event_retention`) is never recounted: it keeps
    what it counted.
-#}
-- depends_on: {{ ref('int_feature_usage_input_changes') }}
{{ config(
    post_hook=["{{ delete_empty_groups('event_count = 0') }}"],
    **event_fact_config(['company_group', 'local_date'])
) }}
{%- set toggle_events = var('feature_toggle_on_events') + var('feature_toggle_off_events') %}
{%- set since = incremental_watermark('_built_at') %}
{%- set by_group = is_incremental() and event_changes_are_complete(since) %}
{%- set by_group = by_group and not event_dictionary_changed(since) %}
{%- set no_company = "'(none)'" %}
{%- set retention = event_retention_window() %}
with

{% if by_group %}
-- the company-days to recount: those of events written since the last
-- run, as they are and as they were
changed_groups as (
    select
        coalesce(company_key, {{ no_company }}) as company_group,
        local_date
    from {{ ref('int_events_attributed') }}
    where _attributed_at > {{ since }} and local_date is not null
        and not {{ is_frozen_day(retention, 'local_date') }}
    union
    select
        coalesce(_previous_company_key, {{ no_company }}) as company_group,
        _previous_local_date as local_date
    from {{ ref('int_events_attributed') }}
    where _attributed_at > {{ since }} and _previous_local_date is not null
        and not {{ is_frozen_day(retention, '_previous_local_date') }}
),

events as (
    select
        attributed.person_key,
        attributed.company_key,
        attributed.message_type,
        attributed.event_name,
        attributed.feature,
        attributed.local_date,
        attributed.occurred_at
    from {{ ref('int_events_attributed') }} as attributed
    inner join changed_groups
        on coalesce(attributed.company_key, {{ no_company }}) = changed_groups.company_group
        and attributed.local_date = changed_groups.local_date
    where not coalesce(attributed._is_removed, false)
        and attributed.person_key is not null
        and attributed.message_type in ('track', 'page', 'screen')
),
{% else %}
    events as (
        select
            person_key,
            company_key,
            message_type,
            event_name,
            feature,
            local_date,
            occurred_at
        from {{ ref('int_events_attributed') }}
        where not coalesce(_is_removed, false)
            and person_key is not null
            and message_type in ('track', 'page', 'screen')
            and not {{ is_frozen_day(retention, 'local_date') }}
    ),
{% endif %}

dictionary as (
    select
        event_name,
        feature,
        is_key_event
    from {{ ref('int_event_dictionary') }}
),

classified as (
    select
        events.person_key,
        events.company_key,
        events.local_date,
        events.occurred_at,
        case
            when events.message_type <> 'track' then null
            when events.event_name in ({{ "'" ~ toggle_events | join("', '") ~ "'" }}) then null
            when dictionary.event_name is not null then dictionary.feature
            else nullif(lower(trim(events.feature)), '')
        end as feature,
        events.message_type = 'track' and coalesce(dictionary.is_key_event, false)
            as is_key_event
    from events
    left join dictionary on events.event_name = dictionary.event_name
),

final as (
    select
        -- keys
        cast(coalesce(company_key, {{ no_company }}) as varchar) as company_group,
        cast(company_key as varchar) as company_key,
        cast(person_key as varchar) as person_key,
        cast(feature as varchar) as feature,
        -- numerics
        cast(count(*) as bigint) as event_count,
        cast(sum(case when is_key_event then 1 else 0 end) as bigint) as key_event_count,
        -- dates
        cast(local_date as date) as local_date,
        -- timestamps (UTC)
        cast(min(occurred_at) as timestamp) as first_event_at,
        cast(max(occurred_at) as timestamp) as last_event_at,
        {{ run_started_at_utc() }} as _built_at
    from classified
    group by company_key, person_key, feature, local_date
    {%- if by_group %}
    -- a recounted company-day left without activity: one empty row, then deleted
    union all
    select
        cast(changed_groups.company_group as varchar) as company_group,
        cast(null as varchar) as company_key,
        cast(null as varchar) as person_key,
        cast(null as varchar) as feature,
        cast(0 as bigint) as event_count,
        cast(0 as bigint) as key_event_count,
        cast(changed_groups.local_date as date) as local_date,
        cast(null as timestamp) as first_event_at,
        cast(null as timestamp) as last_event_at,
        {{ run_started_at_utc() }} as _built_at
    from changed_groups
    {%- elif is_incremental() %}
    -- a full recount replaces every company-day held
    union all
    select distinct
        cast(company_group as varchar) as company_group,
        cast(null as varchar) as company_key,
        cast(null as varchar) as person_key,
        cast(null as varchar) as feature,
        cast(0 as bigint) as event_count,
        cast(0 as bigint) as key_event_count,
        cast(local_date as date) as local_date,
        cast(null as timestamp) as first_event_at,
        cast(null as timestamp) as last_event_at,
        {{ run_started_at_utc() }} as _built_at
    from {{ this }}
    -- a frozen day keeps what it counted
    where not {{ is_frozen_day(retention, 'local_date') }}
    {%- endif %}
)

select * from final
