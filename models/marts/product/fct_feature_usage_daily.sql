{#-
    One row per company, feature and company-local day on which the company
    used the feature: consented track events that are use of a feature (the
    event dictionary's feature; for an event the dictionary does not list,
    its properties.feature), the people behind them, and how many happened
    outside any access window (fct_feature_access_windows). Toggle events
    change access and are not use.
-#}
{%- set toggle_events = var('feature_toggle_on_events') + var('feature_toggle_off_events') %}
with

events as (
    select
        message_id,
        company_key,
        person_key,
        event_name,
        feature as property_feature,
        local_date,
        occurred_at
    from {{ ref('int_events_attributed') }}
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
        cast(max(occurred_at) as timestamp) as last_used_at
    from with_access
    group by company_key, feature, local_date
)

select * from final
