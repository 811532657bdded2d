{#-
    One row per track event name (event_name): seed event_dictionary, typed as seeds/_seeds.yml declares and
    otherwise as customer success or the data team wrote it (names and values
    unchanged, so readers normalise as they always have).
-#}
with

source as (
    select * from {{ ref('event_dictionary') }}
),

typed as (
    select
        cast(event_name as varchar) as event_name,
        cast(feature as varchar) as feature,
        cast(is_key_event as varchar) as is_key_event,
        cast(required_properties as varchar) as required_properties,
        cast(owner as varchar) as owner,
        cast(description as varchar) as description
    from source
)

select * from typed
