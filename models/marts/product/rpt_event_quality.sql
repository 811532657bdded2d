{#-
    One row per finding about the tracked events against the event
    dictionary seed: a track event name the dictionary does not list
    (undocumented_event), a listed event never seen (never_seen), a required
    property missing from some of an event's messages
    (missing_required_property), and an event whose properties.feature
    contradicts the dictionary's feature (feature_mismatch); with how many
    messages, of how many, and when first and last seen. Counts cover every
    message, with or without analytics consent: the report holds no person,
    company or device (the anonymous totals the spec allows).
-#}
{%- set event_name = "coalesce(nullif(trim(messages.event_name), ''), '(no event name)')" %}
{#- The messages are read twice, each time straight from the table: once
    for the counts per event (feature mismatches included), once for the
    required properties of the events that have some. -#}
with

dictionary as (
    select
        event_name,
        feature,
        owner,
        is_key_event,
        required_properties
    from {{ ref('int_event_dictionary') }}
),

track_messages as (
    select
        {{ event_name }} as event_name,
        messages.has_analytics_consent,
        messages.occurred_at,
        coalesce(
            dictionary.feature is not null
            and nullif(trim(messages.feature), '') is not null
            and lower(trim(messages.feature)) <> dictionary.feature,
            false
        ) as is_feature_mismatch
    from {{ ref('stg_events__messages') }} as messages
    left join dictionary on {{ event_name }} = dictionary.event_name
    where messages.message_type = 'track'
),

events_seen as (
    select
        event_name,
        count(*) as message_count,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        sum(case when has_analytics_consent then 0 else 1 end) as unconsented_message_count,
        sum(case when is_feature_mismatch then 1 else 0 end) as mismatch_count,
        sum(case when is_feature_mismatch and not has_analytics_consent then 1 else 0 end)
            as mismatch_unconsented_count,
        min(case when is_feature_mismatch then occurred_at end) as mismatch_first_seen_at,
        max(case when is_feature_mismatch then occurred_at end) as mismatch_last_seen_at
    from track_messages
    group by event_name
),

-- a near miss of a listed name: the same label ignoring case, spaces, '-',
-- '_' and '.' (label_key), else the closest name within two edits
suggestions as (
    select
        events_seen.event_name,
        dictionary.event_name as suggested_event_name
    from events_seen
    inner join dictionary
        on events_seen.event_name <> dictionary.event_name
        and (
            {{ label_key('events_seen.event_name') }} = {{ label_key('dictionary.event_name') }}
            or {{ edit_distance('events_seen.event_name', 'dictionary.event_name') }} <= 2
        )
    qualify row_number() over (
            partition by events_seen.event_name
            order by
            {{ edit_distance(
                label_key('events_seen.event_name'), label_key('dictionary.event_name')
            ) }},
                {{ edit_distance('events_seen.event_name', 'dictionary.event_name') }},
                dictionary.event_name
        ) = 1
),

undocumented as (
    select
        'undocumented_event' as finding,
        events_seen.event_name,
        cast(null as varchar) as property_name,
        events_seen.message_count as affected_message_count,
        events_seen.unconsented_message_count,
        events_seen.first_seen_at,
        events_seen.last_seen_at,
        suggestions.suggested_event_name
    from events_seen
    left join dictionary on events_seen.event_name = dictionary.event_name
    left join suggestions on events_seen.event_name = suggestions.event_name
    where dictionary.event_name is null
),

never_seen as (
    select
        'never_seen' as finding,
        dictionary.event_name,
        cast(null as varchar) as property_name,
        0 as affected_message_count,
        0 as unconsented_message_count,
        cast(null as timestamp) as first_seen_at,
        cast(null as timestamp) as last_seen_at,
        cast(null as varchar) as suggested_event_name
    from dictionary
    left join events_seen on dictionary.event_name = events_seen.event_name
    where events_seen.event_name is null
),

required as (
    select
        event_name,
        property_name
    from (
        select
            event_name,
            {{ unnest_list('required_properties') }} as property_name
        from dictionary
    ) as pieces
    where property_name <> ''
),

missing_properties as (
    select
        'missing_required_property' as finding,
        required.event_name,
        required.property_name,
        count(*) as affected_message_count,
        sum(case when messages.has_analytics_consent then 0 else 1 end)
            as unconsented_message_count,
        min(messages.occurred_at) as first_seen_at,
        max(messages.occurred_at) as last_seen_at,
        cast(null as varchar) as suggested_event_name
    from {{ ref('stg_events__messages') }} as messages
    inner join required on {{ event_name }} = required.event_name
    -- missing: absent, JSON null, or an empty string (property_names lists
    -- the others, also on a message without consent, whose JSON is gone)
    where messages.message_type = 'track'
        and not {{ list_has("messages.property_names", "required.property_name") }}
    group by required.event_name, required.property_name
),

feature_mismatches as (
    select
        'feature_mismatch' as finding,
        event_name,
        'feature' as property_name,
        mismatch_count as affected_message_count,
        mismatch_unconsented_count as unconsented_message_count,
        mismatch_first_seen_at as first_seen_at,
        mismatch_last_seen_at as last_seen_at,
        cast(null as varchar) as suggested_event_name
    from events_seen
    where mismatch_count > 0
),

findings as (
    select * from undocumented
    union all
    select * from never_seen
    union all
    select * from missing_properties
    union all
    select * from feature_mismatches
),

final as (
    select
        -- strings
        cast(findings.finding as varchar) as finding,
        cast(findings.event_name as varchar) as event_name,
        cast(findings.property_name as varchar) as property_name,
        dictionary.feature as dictionary_feature,
        dictionary.owner,
        cast(findings.suggested_event_name as varchar) as suggested_event_name,
        -- numerics
        cast(findings.affected_message_count as bigint) as affected_message_count,
        cast(coalesce(events_seen.message_count, 0) as bigint) as event_message_count,
        cast(findings.unconsented_message_count as bigint) as unconsented_message_count,
        cast(
            round(
                findings.affected_message_count
                / nullif(cast(events_seen.message_count as double), 0),
                4
            ) as double
        ) as affected_share,
        -- booleans
        dictionary.is_key_event,
        -- timestamps (UTC)
        findings.first_seen_at,
        findings.last_seen_at
    from findings
    left join dictionary on findings.event_name = dictionary.event_name
    left join events_seen on findings.event_name = events_seen.event_name
)

select * from final
