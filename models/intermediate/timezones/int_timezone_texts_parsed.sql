{#-
    One row per distinct time-zone text seen anywhere (CRM Time_Zone__c,
    the CS seed company_timezones, events' context.timezone), parsed to a
    canonical IANA zone, with the rule that matched. The rules, first match
    wins (doc block `timezone_parsing`):
      1. alias     the alias seed (Windows names, colloquial names, common
                   abbreviations), compared case- and space-insensitively;
      2. iana      a tz database name in any case (links resolve to their
                   canonical zone: US/Pacific -> America/Los_Angeles);
      3. offset    a fixed offset (GMT+2, UTC-05:30, +0100): whole hours ->
                   Etc/GMT-N / Etc/GMT+N (POSIX signs are inverted), zero ->
                   UTC, other offsets -> the alias seed's `UTC±hh:mm` row;
      4. windows_display  Windows' "(UTC+01:00) Amsterdam, Berlin, ..." form:
                   the text after the prefix by rules 1, 2 and 5, else the
                   prefix's offset by rule 3;
      5. city      the last part of exactly one canonical zone name
                   (Berlin -> Europe/Berlin, sao paulo -> America/Sao_Paulo).
    Anything else is `unparseable` (timezone null), reported in
    ops.data_issues; blank text is `empty`.
-#}
{%- set offset_pattern = '^(?:utc|gmt|z)? ?([+-]) ?([0-9]{1,2})(?::?([0-9]{2}))?$' -%}
{%- set display_pattern = '^\\((?:utc|gmt) ?([+-] ?[0-9]{1,2}(?::?[0-9]{2})?)?\\) ?(.*)$' -%}

with

crm_texts as (
    select distinct time_zone_text as raw_text
    from {{ ref('stg_crm__accounts_versions') }}
    where time_zone_text is not null
),

seed_texts as (
    select distinct timezone as raw_text
    from {{ ref('stg_seeds__company_timezones') }}
    where timezone is not null
),

-- one pass over the events: each device zone text and how often it was sent
event_texts as (
    select
        timezone as raw_text,
        count(*) as message_count
    from {{ ref('stg_events__messages') }}
    where timezone is not null
    group by timezone
),

aliases as (
    select
        {{ normalize_label('alias') }} as alias_key,
        timezone
    from {{ ref('stg_seeds__timezone_aliases') }}
),

zone_names as (
    select
        lower(timezone) as name_key,
        canonical_timezone
    from {{ ref('stg_seeds__timezones') }}
),

canonical_zones as (
    select distinct canonical_timezone
    from {{ ref('stg_seeds__timezones') }}
),

-- a city names a zone when exactly one canonical zone ends with it
cities as (
    select
        replace(lower(regexp_extract(canonical_timezone, '[^/]+$', 0)), '_', ' ') as city_key,
        min(canonical_timezone) as canonical_timezone
    from canonical_zones
    where canonical_timezone like '%/%'
        and canonical_timezone not like 'Etc/%'
    group by 1
    having count(*) = 1
),

texts as (
    select raw_text from crm_texts
    union
    select raw_text from seed_texts
    union
    select raw_text from event_texts
),

normalized as (
    select
        raw_text,
        {{ normalize_label('raw_text') }} as text_key
    from texts
),

-- Windows display names: "(UTC+01:00) Amsterdam, Berlin" -> the offset and the rest
split_display as (
    select
        raw_text,
        text_key,
        case when regexp_matches(text_key, '{{ display_pattern }}')
                then nullif(
                        replace(regexp_extract(text_key, '{{ display_pattern }}', 1), ' ', ''), ''
                    )
        end as display_offset_key,
        case when regexp_matches(text_key, '{{ display_pattern }}')
                then nullif(regexp_extract(text_key, '{{ display_pattern }}', 2), '')
        end as display_rest_key,
        regexp_matches(coalesce(text_key, ''), '{{ display_pattern }}') as is_display_form
    from normalized
),

-- fixed offsets, from the whole text or from a display prefix
offset_parts as (
    select
        raw_text,
        offset_text,
        regexp_extract(offset_text, '{{ offset_pattern }}', 1) as offset_sign,
        cast(regexp_extract(offset_text, '{{ offset_pattern }}', 2) as integer) as offset_hours,
        coalesce(
            try_cast(
                nullif(regexp_extract(offset_text, '{{ offset_pattern }}', 3), '') as integer
            ),
            0
        ) as offset_minutes
    from (
        select
            raw_text,
            text_key as offset_text
        from split_display
        union
        select
            raw_text,
            coalesce(display_offset_key, 'utc+0') as offset_text
        from split_display
        where is_display_form
    ) as candidates
    where regexp_matches(offset_text, '{{ offset_pattern }}')
),

offset_zones as (
    select
        offset_parts.raw_text,
        offset_parts.offset_text,
        case
            when offset_parts.offset_hours = 0 and offset_parts.offset_minutes = 0 then 'UTC'
            when offset_parts.offset_minutes = 0
                and offset_parts.offset_sign = '+' and offset_parts.offset_hours <= 14
                then 'Etc/GMT-' || offset_parts.offset_hours
            when offset_parts.offset_minutes = 0
                and offset_parts.offset_sign = '-' and offset_parts.offset_hours <= 12
                then 'Etc/GMT+' || offset_parts.offset_hours
            when offset_parts.offset_minutes in (15, 30, 45) and offset_parts.offset_hours <= 14
                then offset_aliases.timezone
        end as timezone
    from offset_parts
    left join aliases as offset_aliases
        on offset_aliases.alias_key = 'utc' || offset_parts.offset_sign
        || lpad(cast(offset_parts.offset_hours as varchar), 2, '0') || ':'
        || lpad(cast(offset_parts.offset_minutes as varchar), 2, '0')
),

matched as (
    select
        split_display.raw_text,
        split_display.text_key,
        text_aliases.timezone as alias_zone,
        text_names.canonical_timezone as iana_zone,
        text_offsets.timezone as offset_zone,
        coalesce(
            rest_aliases.timezone,
            rest_names.canonical_timezone,
            rest_cities.canonical_timezone,
            prefix_offsets.timezone
        ) as display_zone,
        text_cities.canonical_timezone as city_zone
    from split_display
    left join aliases as text_aliases
        on split_display.text_key = text_aliases.alias_key
    left join zone_names as text_names
        on split_display.text_key = text_names.name_key
    left join offset_zones as text_offsets
        on split_display.raw_text = text_offsets.raw_text
        and split_display.text_key = text_offsets.offset_text
    left join aliases as rest_aliases
        on split_display.display_rest_key = rest_aliases.alias_key
    left join zone_names as rest_names
        on split_display.display_rest_key = rest_names.name_key
    left join cities as rest_cities
        on split_display.display_rest_key = rest_cities.city_key
    left join offset_zones as prefix_offsets
        on split_display.is_display_form
        and split_display.raw_text = prefix_offsets.raw_text
        and coalesce(split_display.display_offset_key, 'utc+0') = prefix_offsets.offset_text
    left join cities as text_cities
        on split_display.text_key = text_cities.city_key
),

ruled as (
    select
        raw_text,
        text_key,
        coalesce(alias_zone, iana_zone, offset_zone, display_zone, city_zone) as matched_zone,
        case
            when text_key is null then 'empty'
            when alias_zone is not null then 'alias'
            when iana_zone is not null then 'iana'
            when offset_zone is not null then 'offset'
            when display_zone is not null then 'windows_display'
            when city_zone is not null then 'city'
            else 'unparseable'
        end as parse_rule
    from matched
),

-- an alias may name a link (or a zone the tz database does not know: the
-- seed check reports that); the result is always a canonical zone
final as (
    select
        -- strings
        ruled.raw_text,
        ruled.text_key,
        zone_names.canonical_timezone as timezone,
        case
            when ruled.matched_zone is not null and zone_names.canonical_timezone is null
                then 'unparseable'
            else ruled.parse_rule
        end as parse_rule,
        -- numerics
        coalesce(event_texts.message_count, 0) as event_message_count
    from ruled
    left join zone_names
        on lower(ruled.matched_zone) = zone_names.name_key
    left join event_texts
        on ruled.raw_text = event_texts.raw_text
)

select * from final
