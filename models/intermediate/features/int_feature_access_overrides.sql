{#-
    One row per row of the CS seed feature_access_overrides.csv, parsed and
    resolved: the company (company_id may be a company key, a CRM Account Id,
    an app account id or a Stripe customer id), the feature, grant or revoke,
    and the window [valid_from, valid_to) from starts_on and ends_on (ends_on
    exclusive; empty = open-ended). Dates are read as midnight in the
    company's time zone as of that day (int_company_timezones; UTC when it
    has none). A row
    that cannot be used says why in invalid_reason; an unknown company id,
    an unknown feature or two rows that overlap are flagged too. Every flag
    is reported in ops.data_issues; only usable rows become access windows.
-#}
with

overrides as (
    select
        company_id,
        feature,
        access,
        starts_on,
        ends_on,
        reason
    from {{ ref('stg_seeds__feature_access_overrides') }}
),

-- one company per id (int_company_seed_ids ranks an id that could name two)
company_ids as (
    select
        company_id,
        id_type as company_id_type,
        company_key
    from {{ ref('int_company_seed_ids') }}
),

features as (
    select feature from {{ ref('int_features') }}
),

timezones as (
    select
        company_key,
        timezone,
        is_first,
        valid_from,
        valid_to
    from {{ ref('int_company_timezones') }}
),

parsed as (
    select
        -- raw values, as typed (for reports)
        company_id as raw_company_id,
        feature as raw_feature,
        access as raw_access,
        starts_on as raw_starts_on,
        ends_on as raw_ends_on,
        -- ids
        nullif(trim(company_id), '') as company_id,
        -- strings
        nullif(lower(trim(feature)), '') as feature,
        nullif(lower(trim(access)), '') as access,
        nullif(trim(reason), '') as reason,
        -- dates
        {{ parse_iso_date("trim(starts_on)") }}
            as starts_on,
        {{ parse_iso_date("trim(ends_on)") }}
            as ends_on
    from overrides
),

resolved as (
    select
        parsed.*,
        company_ids.company_key,
        company_ids.company_id_type,
        features.feature is not null as is_known_feature
    from parsed
    left join company_ids on parsed.company_id = company_ids.company_id
    left join features on parsed.feature = features.feature
),

checked as (
    select
        *,
        case
            when company_id is null then 'company_id is empty'
            when feature is null then 'feature is empty'
            when access is null or access not in ('grant', 'revoke')
                then 'access is ' || coalesce('''' || raw_access || '''', 'empty')
                    || ', not grant or revoke'
            when nullif(trim(raw_starts_on), '') is null then 'starts_on is empty'
            when starts_on is null
                then 'starts_on ''' || raw_starts_on || ''' is not a YYYY-MM-DD date'
            when nullif(trim(raw_ends_on), '') is not null and ends_on is null
                then 'ends_on ''' || raw_ends_on || ''' is not a YYYY-MM-DD date'
            when ends_on <= starts_on then 'ends_on is not after starts_on'
            when company_key is null then 'unknown company_id'
        end as invalid_reason
    from resolved
),

-- the company's zone as of each date (taken at that date's UTC midnight:
-- a zone change within a few hours of a boundary is a rounding we accept)
zoned as (
    select
        checked.*,
        coalesce(starts_zone.timezone, 'UTC') as starts_timezone,
        coalesce(ends_zone.timezone, 'UTC') as ends_timezone
    from checked
    left join timezones as starts_zone
        on checked.company_key = starts_zone.company_key
        and {{ company_timezone_at('starts_zone', 'cast(checked.starts_on as timestamp)') }}
    left join timezones as ends_zone
        on checked.company_key = ends_zone.company_key
        and {{ company_timezone_at('ends_zone', 'cast(checked.ends_on as timestamp)') }}
),

windowed as (
    select
        *,
        {{ local_to_utc('cast(starts_on as timestamp)', 'starts_timezone') }} as valid_from,
        {{ local_to_utc('cast(ends_on as timestamp)', 'ends_timezone') }} as valid_to
    from zoned
),

-- the seed's rule: two rows of one company and feature never overlap
overlapping_rows as (
    select distinct
        this_row.company_key,
        this_row.feature,
        this_row.starts_on
    from windowed as this_row
    inner join windowed as other_row
        on this_row.company_key = other_row.company_key
        and this_row.feature = other_row.feature
        and not (
            this_row.starts_on = other_row.starts_on
            and this_row.access = other_row.access
            and this_row.ends_on is not distinct from other_row.ends_on
            and this_row.reason is not distinct from other_row.reason
        )
        and this_row.valid_from < coalesce(other_row.valid_to, cast('9999-12-31' as timestamp))
        and other_row.valid_from < coalesce(this_row.valid_to, cast('9999-12-31' as timestamp))
    where this_row.invalid_reason is null
        and other_row.invalid_reason is null
),

final as (
    select
        -- keys
        windowed.company_key,
        -- ids
        windowed.company_id,
        -- strings
        windowed.company_id_type,
        windowed.starts_timezone as timezone,
        windowed.feature,
        windowed.access,
        windowed.reason,
        windowed.invalid_reason,
        windowed.raw_company_id,
        windowed.raw_feature,
        windowed.raw_access,
        windowed.raw_starts_on,
        windowed.raw_ends_on,
        -- booleans
        windowed.invalid_reason is null as is_usable,
        windowed.is_known_feature,
        overlapping_rows.company_key is not null as overlaps_another_row,
        -- dates
        windowed.starts_on,
        windowed.ends_on,
        -- timestamps (UTC)
        windowed.valid_from,
        windowed.valid_to
    from windowed
    left join overlapping_rows
        on windowed.company_key = overlapping_rows.company_key
        and windowed.feature = overlapping_rows.feature
        and windowed.starts_on = overlapping_rows.starts_on
)

select * from final
