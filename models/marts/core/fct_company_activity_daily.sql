{#-
    One row per company and company-local day with any activity: consented
    events, the people behind them, and support tickets opened and solved
    that local day. The local day is the company's zone as of each event
    (int_events_attributed.local_date,
    int_support_tickets_attributed.created/solved_local_date).
    fct_company_activity_reporting_daily is the same in one reporting zone.
-#}
with

events as (
    select
        company_key,
        person_key,
        local_date
    from {{ ref('int_events_attributed') }}
    where company_key is not null
),

tickets as (
    select
        company_key,
        created_local_date,
        solved_local_date
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
),

event_days as (
    select
        company_key,
        local_date,
        count(*) as event_count,
        count(distinct person_key) as active_people
    from events
    group by company_key, local_date
),

opened_days as (
    select
        company_key,
        created_local_date as local_date,
        count(*) as tickets_opened
    from tickets
    group by company_key, created_local_date
),

solved_days as (
    select
        company_key,
        solved_local_date as local_date,
        count(*) as tickets_solved
    from tickets
    where solved_local_date is not null
    group by company_key, solved_local_date
),

company_days as (
    select
        company_key,
        local_date
    from event_days
    union
    select
        company_key,
        local_date
    from opened_days
    union
    select
        company_key,
        local_date
    from solved_days
),

final as (
    select
        -- keys
        cast(company_days.company_key as varchar) as company_key,
        -- numerics
        cast(coalesce(event_days.event_count, 0) as bigint) as event_count,
        cast(coalesce(event_days.active_people, 0) as bigint) as active_people,
        cast(coalesce(opened_days.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(solved_days.tickets_solved, 0) as bigint) as tickets_solved,
        -- dates
        cast(company_days.local_date as date) as local_date
    from company_days
    left join event_days
        on company_days.company_key = event_days.company_key
        and company_days.local_date = event_days.local_date
    left join opened_days
        on company_days.company_key = opened_days.company_key
        and company_days.local_date = opened_days.local_date
    left join solved_days
        on company_days.company_key = solved_days.company_key
        and company_days.local_date = solved_days.local_date
)

select * from final
