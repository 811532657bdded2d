{#-
    One row per company and company-local day with any activity: consented
    events, the people behind them, and support tickets opened and solved
    that local day. The local day is the company's zone as of each event
    (int_events_attributed.local_date,
    int_support_tickets_attributed.created/solved_local_date).
    fct_company_activity_reporting_daily is the same in one reporting zone.

    Incremental (doc block `events_incremental`): a run recounts only the
    company-days that events written since its last run touch, before or
    after their change, and those whose ticket counts changed; a company-day
    left with no activity is deleted. A day frozen by retention (doc block
    `event_retention`) keeps the event counts it had; its tickets are still
    recounted.
-#}
{{ config(
    post_hook=["{{ delete_empty_groups('event_count = 0 and tickets_opened = 0 and tickets_solved = 0') }}"],
    **event_fact_config(['company_key', 'local_date'])
) }}
{%- set since = incremental_watermark('_built_at') %}
{%- set by_group = is_incremental() and event_changes_are_complete(since) %}
{%- set retention = event_retention_window() %}
with

attributed as (
    select
        company_key,
        person_key,
        local_date,
        _previous_company_key,
        _previous_local_date,
        _attributed_at
    from {{ ref('int_events_attributed') }}
),

tickets as (
    select
        company_key,
        created_local_date,
        solved_local_date
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
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

ticket_days as (
    select
        coalesce(opened_days.company_key, solved_days.company_key) as company_key,
        coalesce(opened_days.local_date, solved_days.local_date) as local_date,
        coalesce(opened_days.tickets_opened, 0) as tickets_opened,
        coalesce(solved_days.tickets_solved, 0) as tickets_solved
    from opened_days
    full outer join solved_days
        on opened_days.company_key = solved_days.company_key
        and opened_days.local_date = solved_days.local_date
),

{% if is_incremental() %}
held as (
    select
        company_key,
        local_date,
        event_count,
        active_people,
        tickets_opened,
        tickets_solved
    from {{ this }}
),
{% endif %}

{% if by_group %}
-- the company-days to recount: those of events written since the last run,
-- as they are and as they were, and those whose ticket counts changed
changed_groups as (
    select
        company_key,
        local_date
    from attributed
    where _attributed_at > {{ since }} and company_key is not null
    union
    select
        _previous_company_key as company_key,
        _previous_local_date as local_date
    from attributed
    where _attributed_at > {{ since }} and _previous_company_key is not null
    union
    select
        coalesce(ticket_days.company_key, held.company_key) as company_key,
        coalesce(ticket_days.local_date, held.local_date) as local_date
    from ticket_days
    full outer join held
        on ticket_days.company_key = held.company_key
        and ticket_days.local_date = held.local_date
    where coalesce(ticket_days.tickets_opened, 0) <> coalesce(held.tickets_opened, 0)
        or coalesce(ticket_days.tickets_solved, 0) <> coalesce(held.tickets_solved, 0)
),

events as (
    select
        attributed.company_key,
        attributed.person_key,
        attributed.local_date
    from attributed
    inner join changed_groups
        on attributed.company_key = changed_groups.company_key
        and attributed.local_date = changed_groups.local_date
    where not {{ is_frozen_day(retention, 'attributed.local_date') }}
),

counted_tickets as (
    select ticket_days.*
    from ticket_days
    inner join changed_groups
        on ticket_days.company_key = changed_groups.company_key
        and ticket_days.local_date = changed_groups.local_date
),
{% else %}
    events as (
        select
            company_key,
            person_key,
            local_date
        from attributed
        where company_key is not null
            and not {{ is_frozen_day(retention, 'local_date') }}
    ),

    counted_tickets as (
        select * from ticket_days
    ),
{% endif %}

event_days as (
    select
        company_key,
        local_date,
        count(*) as event_count,
        count(distinct person_key) as active_people
    from events
    group by company_key, local_date
    {%- if is_incremental() %}
    -- a frozen day keeps the events it counted
    union all
    select
        held.company_key,
        held.local_date,
        held.event_count,
        held.active_people
    from held
    {%- if by_group %}
    inner join changed_groups
        on held.company_key = changed_groups.company_key
        and held.local_date = changed_groups.local_date
    {%- endif %}
    where {{ is_frozen_day(retention, 'held.local_date') }}
    {%- endif %}
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
    from counted_tickets
    {%- if by_group %}
    -- a recounted company-day left without activity: written empty, then deleted
    union
    select
        company_key,
        local_date
    from changed_groups
    {%- elif is_incremental() %}
    union
    select
        company_key,
        local_date
    from held
    {%- endif %}
),

final as (
    select
        cast(company_days.company_key as varchar) as company_key,
        cast(coalesce(event_days.event_count, 0) as bigint) as event_count,
        cast(coalesce(event_days.active_people, 0) as bigint) as active_people,
        cast(coalesce(counted_tickets.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(counted_tickets.tickets_solved, 0) as bigint) as tickets_solved,
        cast(company_days.local_date as date) as local_date,
        {{ run_started_at_utc() }} as _built_at
    from company_days
    left join event_days
        on company_days.company_key = event_days.company_key
        and company_days.local_date = event_days.local_date
    left join counted_tickets
        on company_days.company_key = counted_tickets.company_key
        and company_days.local_date = counted_tickets.local_date
)

select * from final
