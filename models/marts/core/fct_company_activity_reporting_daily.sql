{#-
    fct_company_activity_daily on the reporting clock: one row per company
    and day in the ONE reporting zone (macro reporting_timezone: UTC unless
    $C360_REPORTING_TIMEZONE or var('reporting_timezone') says otherwise),
    for internal views that compare companies on the same calendar. With
    the default it is the UTC-date variant.
-#}
with

events as (
    select
        company_key,
        person_key,
        occurred_at
    from {{ ref('int_events_attributed') }}
    where company_key is not null
),

tickets as (
    select
        company_key,
        created_at,
        solved_at
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
),

event_days as (
    select
        company_key,
        cast({{ to_reporting_zone('occurred_at') }} as date) as reporting_date,
        count(*) as event_count,
        count(distinct person_key) as active_people
    from events
    group by 1, 2
),

opened_days as (
    select
        company_key,
        cast({{ to_reporting_zone('created_at') }} as date) as reporting_date,
        count(*) as tickets_opened
    from tickets
    group by 1, 2
),

solved_days as (
    select
        company_key,
        cast({{ to_reporting_zone('solved_at') }} as date) as reporting_date,
        count(*) as tickets_solved
    from tickets
    where solved_at is not null
    group by 1, 2
),

company_days as (
    select
        company_key,
        reporting_date
    from event_days
    union
    select
        company_key,
        reporting_date
    from opened_days
    union
    select
        company_key,
        reporting_date
    from solved_days
),

final as (
    select
        -- keys
        cast(company_days.company_key as varchar) as company_key,
        -- strings
        cast({{ reporting_timezone() }} as varchar) as reporting_timezone,
        -- numerics
        cast(coalesce(event_days.event_count, 0) as bigint) as event_count,
        cast(coalesce(event_days.active_people, 0) as bigint) as active_people,
        cast(coalesce(opened_days.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(solved_days.tickets_solved, 0) as bigint) as tickets_solved,
        -- dates
        cast(company_days.reporting_date as date) as reporting_date
    from company_days
    left join event_days
        on company_days.company_key = event_days.company_key
        and company_days.reporting_date = event_days.reporting_date
    left join opened_days
        on company_days.company_key = opened_days.company_key
        and company_days.reporting_date = opened_days.reporting_date
    left join solved_days
        on company_days.company_key = solved_days.company_key
        and company_days.reporting_date = solved_days.reporting_date
)

select * from final
