{#-
    One row per event name in the event dictionary seed, typed: the feature
    the event is use of (null: not feature use), whether it is a key
    (funnel KPI) event, the required properties as a list, and what is
    wrong with the row (invalid_reason, null when fine). Event names match
    the tracked `event` exactly (case and spaces count): a near miss is an
    undocumented event in marts.rpt_event_quality, not silently folded in.
-#}
with

dictionary as (
    select * from {{ ref('stg_seeds__event_dictionary') }}
),

typed as (
    select
        -- ids
        event_name,
        -- strings
        nullif(lower(trim(feature)), '') as feature,
        nullif(trim(owner), '') as owner,
        nullif(trim(description), '') as description,
        -- lists
        -- the pieces between '|' (property names hold no spaces: they are
        -- removed; an empty piece from 'a||b' is ignored where it is used)
        {{ split_to_list("replace(coalesce(required_properties, ''), ' ', '')", "'|'") }}
            as required_properties,
        -- booleans
        case lower(trim(is_key_event))
            when 'true' then true
            when 'false' then false
        end as is_key_event,
        -- raw values, for reports
        is_key_event as _raw_is_key_event
    from dictionary
),

checked as (
    select
        *,
        case
            when event_name is null or trim(event_name) = ''
                then 'event_name is empty'
            when event_name <> trim(event_name)
                then 'event_name has leading or trailing spaces'
            when is_key_event is null
                then 'is_key_event is ' || coalesce('''' || _raw_is_key_event || '''', 'empty')
                    || ', not true or false'
            when count(*) over (partition by event_name) > 1
                then 'event_name is listed more than once'
        end as invalid_reason
    from typed
),

final as (
    select
        event_name,
        feature,
        owner,
        description,
        required_properties,
        coalesce(is_key_event, false) as is_key_event,
        invalid_reason
    from checked
    -- a name listed twice keeps one row (the one with a feature, then the
    -- smallest feature) so usage never counts an event twice; the
    -- duplicate is reported through invalid_reason
    qualify row_number() over (
            partition by event_name
            order by feature nulls last, owner, description
        ) = 1
)

select * from final
