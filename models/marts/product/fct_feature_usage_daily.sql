{#-
    One row per company, feature and company-local day on which the company
    used the feature: consented track events that are use of a feature (the
    event dictionary's feature; for an event the dictionary does not list,
    its properties.feature), the people behind them, and how many happened
    outside any access window (fct_feature_access_windows). Toggle events
    change access and are not use.

    Incremental (doc block `events_incremental`): a run recounts the
    company-days that events written since its last run touch (before or
    after their change) and every day of a company whose access sources
    changed (int_feature_usage_input_changes); a change of the event
    dictionary rebuilds it all. A recounted company-day is replaced whole.
    A day frozen by retention (doc block `event_retention`) is never
    recounted, not even when access changed: it keeps what it counted.
-#}
-- depends_on: {{ ref('int_feature_usage_input_changes') }}
{{ config(
    post_hook=["{{ delete_empty_groups('event_count = 0') }}"],
    **event_fact_config(['company_key', 'local_date'])
) }}
{%- set toggle_events = var('feature_toggle_on_events') + var('feature_toggle_off_events') %}
{%- set since = incremental_watermark('_built_at') %}
{%- set by_group = is_incremental() and event_changes_are_complete(since) %}
{%- set by_group = by_group and not event_dictionary_changed(since) %}
{%- set retention = event_retention_window() %}
with

attributed as (
    select
        message_id,
        company_key,
        person_key,
        message_type,
        event_name,
        feature,
        local_date,
        occurred_at,
        _previous_company_key,
        _previous_local_date,
        _attributed_at
    from {{ ref('int_events_attributed') }}
),

{% if by_group %}
access_changes as (
    select input_key as company_key
    from {{ ref('int_feature_usage_input_changes') }}
    where input = 'feature_access' and recorded_at > {{ since }}
),

-- the company-days to recount: those of events written since the last run,
-- as they are and as they were, and every day of a company whose access
-- changed (held days and days with events)
changed_groups as (
    select
        company_key,
        local_date
    from (
        select
            company_key,
            local_date
        from attributed
        where _attributed_at > {{ since }} and company_key is not null
        union
        select
            _previous_company_key as company_key,
            _previous_local_date as local_date
        from attributed
        where _attributed_at > {{ since }} and _previous_company_key is not null
        union
        select
            company_key,
            local_date
        from {{ this }}
        where company_key in (select company_key from access_changes)
        union
        select
            company_key,
            local_date
        from attributed
        where company_key in (select company_key from access_changes)
    ) as changed
    where not {{ is_frozen_day(retention, 'local_date') }}
),

recounted as (
    select attributed.*
    from attributed
    inner join changed_groups
        on attributed.company_key = changed_groups.company_key
        and attributed.local_date = changed_groups.local_date
),
{% else %}
    recounted as (
        select * from attributed
        where not {{ is_frozen_day(retention, 'local_date') }}
    ),
{% endif %}

events as (
    select
        message_id,
        company_key,
        person_key,
        event_name,
        feature as property_feature,
        local_date,
        occurred_at
    from recounted
    where message_type = 'track'
        and company_key is not null
        and event_name not in (
            {%- for name in toggle_events %}
                '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
),

dictionary as (
    select
        event_name,
        feature,
        is_key_event
    from {{ ref('int_event_dictionary') }}
),

windows as (
    select
        company_key,
        feature,
        access_from,
        access_to
    from {{ ref('fct_feature_access_windows') }}
),

-- a listed event is use of the dictionary's feature (or of none); an
-- unlisted one is use of the feature it names, so unknown events still count
feature_events as (
    select
        events.message_id,
        events.company_key,
        events.person_key,
        events.local_date,
        events.occurred_at,
        case
            when dictionary.event_name is not null then dictionary.feature
            else nullif(lower(trim(events.property_feature)), '')
        end as feature,
        dictionary.event_name is null as is_undocumented,
        coalesce(dictionary.is_key_event, false) as is_key_event
    from events
    left join dictionary on events.event_name = dictionary.event_name
),

-- windows of a company and feature never overlap: at most one matches
with_access as (
    select
        feature_events.*,
        windows.company_key is not null as has_access
    from feature_events
    left join windows
        on feature_events.company_key = windows.company_key
        and feature_events.feature = windows.feature
        and feature_events.occurred_at >= windows.access_from
        and (windows.access_to is null or feature_events.occurred_at < windows.access_to)
    where feature_events.feature is not null
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        cast(feature as varchar) as feature,
        -- numerics
        cast(count(*) as bigint) as event_count,
        cast(count(distinct person_key) as bigint) as active_people,
        cast(sum(case when is_key_event then 1 else 0 end) as bigint) as key_event_count,
        cast(sum(case when has_access then 0 else 1 end) as bigint) as events_without_access,
        cast(
            sum(case when is_undocumented then 1 else 0 end) as bigint
        ) as undocumented_event_count,
        -- dates
        cast(local_date as date) as local_date,
        -- timestamps (UTC)
        cast(min(occurred_at) as timestamp) as first_used_at,
        cast(
            min(case when has_access then occurred_at end) as timestamp
        ) as first_used_with_access_at,
        cast(max(occurred_at) as timestamp) as last_used_at,
        {{ run_started_at_utc() }} as _built_at
    from with_access
    group by company_key, feature, local_date
    {%- if by_group %}
    -- a recounted company-day left without use: one empty row, then deleted
    union all
    select
        cast(changed_groups.company_key as varchar) as company_key,
        cast(null as varchar) as feature,
        cast(0 as bigint) as event_count,
        cast(0 as bigint) as active_people,
        cast(0 as bigint) as key_event_count,
        cast(0 as bigint) as events_without_access,
        cast(0 as bigint) as undocumented_event_count,
        cast(changed_groups.local_date as date) as local_date,
        cast(null as timestamp) as first_used_at,
        cast(null as timestamp) as first_used_with_access_at,
        cast(null as timestamp) as last_used_at,
        {{ run_started_at_utc() }} as _built_at
    from changed_groups
    {%- elif is_incremental() %}
    -- a full recount replaces every company-day held
    union all
    select distinct
        cast(company_key as varchar) as company_key,
        cast(null as varchar) as feature,
        cast(0 as bigint) as event_count,
        cast(0 as bigint) as active_people,
        cast(0 as bigint) as key_event_count,
        cast(0 as bigint) as events_without_access,
        cast(0 as bigint) as undocumented_event_count,
        cast(local_date as date) as local_date,
        cast(null as timestamp) as first_used_at,
        cast(null as timestamp) as first_used_with_access_at,
        cast(null as timestamp) as last_used_at,
        {{ run_started_at_utc() }} as _built_at
    from {{ this }}
    -- a frozen day keeps what it counted
    where not {{ is_frozen_day(retention, 'local_date') }}
    {%- endif %}
)

select * from final
