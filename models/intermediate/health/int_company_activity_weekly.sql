{#-
    One row per company and week (Monday start, company-local days) in
    which someone was active or that is within var('health_window_weeks')
    of such a week: people active in the week, their events and key events,
    the week's last active day, and the distinct people active over the
    trailing window ending with the week. From int_person_activity_daily
    (person-days), never the events.
-#}
{%- set window_weeks = var('health_window_weeks') | int %}
with

person_weeks as (
    select
        company_key,
        person_key,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date) as week_start,
        sum(event_count) as event_count,
        sum(key_event_count) as key_event_count,
        max(local_date) as last_active_date
    from {{ ref('int_person_activity_daily') }}
    where company_key is not null
    group by
        company_key,
        person_key,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
),

weekly as (
    select
        company_key,
        week_start,
        count(*) as active_people,
        sum(event_count) as event_count,
        sum(key_event_count) as key_event_count,
        max(last_active_date) as last_active_date
    from person_weeks
    group by company_key, week_start
),

offsets as (
    select generated_number - 1 as week_offset
    from ({{ dbt.generate_series(window_weeks) }}) as numbers
),

-- each person-week counts in the window of the weeks it is part of
window_people as (
    select
        person_weeks.company_key,
        cast(
            {{ dbt.dateadd('day', '7 * offsets.week_offset', 'person_weeks.week_start') }}
            as date
        ) as week_start,
        count(distinct person_weeks.person_key) as active_people_in_window
    from person_weeks
    cross join offsets
    group by
        person_weeks.company_key,
        cast(
            {{ dbt.dateadd('day', '7 * offsets.week_offset', 'person_weeks.week_start') }}
            as date
        )
),

final as (
    select
        -- keys
        cast(window_people.company_key as varchar) as company_key,
        -- numerics
        cast(coalesce(weekly.active_people, 0) as bigint) as active_people,
        cast(coalesce(weekly.event_count, 0) as bigint) as event_count,
        cast(coalesce(weekly.key_event_count, 0) as bigint) as key_event_count,
        cast(window_people.active_people_in_window as bigint) as active_people_in_window,
        -- dates
        cast(window_people.week_start as date) as week_start,
        cast(weekly.last_active_date as date) as last_active_date
    from window_people
    left join weekly
        on window_people.company_key = weekly.company_key
        and window_people.week_start = weekly.week_start
)

select * from final
