{#-
    One row per change of a company's zone inferred from its people's
    devices: the zone, when the evidence for it was complete (the end of
    the UTC day it became dominant), and the evidence. Rule (doc block
    `timezone_inference`): on a day a zone was used by the company's people,
    over the trailing var('timezone_inference_window_days') days that zone
    holds at least var('timezone_inference_min_share') of the company's
    person-days, and the window holds at least
    var('timezone_inference_min_person_days') person-days. The inference is
    sticky: it holds until another zone qualifies (a company that went quiet
    did not move), so only changes are kept.
-#}
{%- set window_days = var('timezone_inference_window_days') | int -%}
{%- set min_share = var('timezone_inference_min_share') | float -%}
{%- set min_person_days = var('timezone_inference_min_person_days') | int -%}
{%- if min_share <= 0.5 or min_share > 1 -%}
    {{ exceptions.raise_compiler_error(
        "var('timezone_inference_min_share') must be above 0.5 and at most 1 (got "
        ~ min_share ~ "): above half, at most one zone can qualify") }}
{%- endif -%}

with

person_days as (
    select
        person_key,
        activity_date,
        timezone
    from {{ ref('int_person_timezone_days') }}
),

memberships as (
    select
        person_key,
        company_key,
        valid_from,
        valid_to
    from {{ ref('int_person_company_memberships') }}
),

-- a person-day counts for the company the person belonged to that day
-- (both, on the day a person moved)
company_zone_days as (
    select
        memberships.company_key,
        person_days.activity_date,
        person_days.timezone,
        count(distinct person_days.person_key) as person_days
    from person_days
    inner join memberships
        on person_days.person_key = memberships.person_key
        and memberships.valid_from < person_days.activity_date + interval 1 day
        and (memberships.valid_to is null or memberships.valid_to > person_days.activity_date)
    group by 1, 2, 3
),

company_days as (
    select
        company_key,
        activity_date,
        sum(person_days) as person_days
    from company_zone_days
    group by 1, 2
),

company_window_totals as (
    select
        company_key,
        activity_date,
        sum(person_days) over (
            partition by company_key
            order by activity_date
            range between interval {{ window_days - 1 }} days preceding and current row
        ) as window_person_days
    from company_days
),

zone_window_totals as (
    select
        company_key,
        activity_date,
        timezone,
        sum(person_days) over (
            partition by company_key, timezone
            order by activity_date
            range between interval {{ window_days - 1 }} days preceding and current row
        ) as zone_person_days
    from company_zone_days
),

dominant_days as (
    select
        zone_window_totals.company_key,
        zone_window_totals.activity_date,
        zone_window_totals.timezone,
        zone_window_totals.zone_person_days,
        company_window_totals.window_person_days,
        zone_window_totals.zone_person_days / company_window_totals.window_person_days as zone_share
    from zone_window_totals
    inner join company_window_totals
        on zone_window_totals.company_key = company_window_totals.company_key
        and zone_window_totals.activity_date = company_window_totals.activity_date
    where company_window_totals.window_person_days >= {{ min_person_days }}
        and zone_window_totals.zone_person_days
        >= {{ min_share }} * company_window_totals.window_person_days
),

-- sticky: keep a dominant day only where the zone differs from the
-- previous dominant day's
changes as (
    select
        *,
        lag(timezone) over (
            partition by company_key order by activity_date
        ) as previous_timezone
    from dominant_days
),

final as (
    select
        -- keys
        company_key,
        -- strings
        timezone,
        previous_timezone,
        -- numerics
        zone_person_days,
        window_person_days,
        cast(zone_share as double) as zone_share,
        -- dates
        activity_date,
        -- timestamps (UTC)
        cast(activity_date + interval 1 day as timestamp) as inferred_at
    from changes
    where previous_timezone is null or timezone <> previous_timezone
)

select * from final
