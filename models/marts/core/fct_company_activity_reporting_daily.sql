{#-
    fct_company_activity_daily on the reporting clock: one row per company
    and day in the ONE reporting zone (macro reporting_timezone: UTC unless
    $C360_REPORTING_TIMEZONE or var('reporting_timezone') says otherwise),
    for internal views that compare companies on the same calendar. With
    the default it is the UTC-date variant.

    Incremental like fct_company_activity_daily (doc block
    `events_incremental`): only the company-days that changed events or
    tickets touch are recounted; a change of reporting zone rebuilds it all.
    A day frozen by retention (doc block `event_retention`) keeps the event
    counts it had, even across a change of zone (they cannot be re-zoned).
-#}
{{ config(
    post_hook=["{{ delete_empty_groups('event_count = 0 and tickets_opened = 0 and tickets_solved = 0') }}"],
    **event_fact_config(['company_key', 'reporting_date'])
) }}
{%- set since = incremental_watermark('_built_at') %}
{%- set by_group = is_incremental() and event_changes_are_complete(since) %}
{%- if by_group and execute %}
    {%- set other_zone = run_query(
        'select count(*) from ' ~ this ~ ' where reporting_timezone <> ' ~ reporting_timezone()
    ).rows[0][0] %}
    {%- set by_group = other_zone == 0 %}
{%- endif %}
{%- set retention = event_retention_window() %}
with

attributed as (
    select
        company_key,
        person_key,
        occurred_at,
        _previous_company_key,
        _previous_occurred_at,
        _attributed_at
    from {{ ref('int_events_attributed') }}
),

tickets as (
    select
        company_key,
        created_at,
        solved_at
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
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

ticket_days as (
    select
        coalesce(opened_days.company_key, solved_days.company_key) as company_key,
        coalesce(opened_days.reporting_date, solved_days.reporting_date) as reporting_date,
        coalesce(opened_days.tickets_opened, 0) as tickets_opened,
        coalesce(solved_days.tickets_solved, 0) as tickets_solved
    from opened_days
    full outer join solved_days
        on opened_days.company_key = solved_days.company_key
        and opened_days.reporting_date = solved_days.reporting_date
),

{% if is_incremental() %}
held as (
    select
        company_key,
        reporting_date,
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
        cast({{ to_reporting_zone('occurred_at') }} as date) as reporting_date
    from attributed
    where _attributed_at > {{ since }} and company_key is not null
    union
    select
        _previous_company_key as company_key,
        cast({{ to_reporting_zone('_previous_occurred_at') }} as date) as reporting_date
    from attributed
    where _attributed_at > {{ since }} and _previous_company_key is not null
    union
    select
        coalesce(ticket_days.company_key, held.company_key) as company_key,
        coalesce(ticket_days.reporting_date, held.reporting_date) as reporting_date
    from ticket_days
    full outer join held
        on ticket_days.company_key = held.company_key
        and ticket_days.reporting_date = held.reporting_date
    where coalesce(ticket_days.tickets_opened, 0) <> coalesce(held.tickets_opened, 0)
        or coalesce(ticket_days.tickets_solved, 0) <> coalesce(held.tickets_solved, 0)
),

-- the instants the changed days can hold, a day either side for the
-- zone's offset
changed_range as (
    select
        cast({{ dbt.dateadd('day', -1, 'min(reporting_date)') }} as timestamp) as range_from,
        cast({{ dbt.dateadd('day', 2, 'max(reporting_date)') }} as timestamp) as range_to
    from changed_groups
),

-- the events of the companies concerned in that range, then of their
-- changed days (the zone conversion runs only for those events)
company_events as (
    select
        attributed.company_key,
        attributed.person_key,
        cast({{ to_reporting_zone('attributed.occurred_at') }} as date) as reporting_date
    from attributed
    cross join changed_range
    where attributed.company_key in (select company_key from changed_groups)
        and attributed.occurred_at >= changed_range.range_from
        and attributed.occurred_at < changed_range.range_to
),

events as (
    select
        company_events.company_key,
        company_events.person_key,
        company_events.reporting_date
    from company_events
    inner join changed_groups
        on company_events.company_key = changed_groups.company_key
        and company_events.reporting_date = changed_groups.reporting_date
    where not {{ is_frozen_day(retention, 'company_events.reporting_date') }}
),

counted_tickets as (
    select ticket_days.*
    from ticket_days
    inner join changed_groups
        on ticket_days.company_key = changed_groups.company_key
        and ticket_days.reporting_date = changed_groups.reporting_date
),
{% else %}
    events as (
        select
            company_key,
            person_key,
            cast({{ to_reporting_zone('occurred_at') }} as date) as reporting_date
        from attributed
        where company_key is not null
            and not {{ is_frozen_day(retention, 'cast(' ~ to_reporting_zone('occurred_at') ~ ' as date)') }}  -- noqa: LT05
    ),

    counted_tickets as (
        select * from ticket_days
    ),
{% endif %}

event_days as (
    select
        company_key,
        reporting_date,
        count(*) as event_count,
        count(distinct person_key) as active_people
    from events
    group by company_key, reporting_date
    {%- if is_incremental() %}
    -- a frozen day keeps the events it counted
    union all
    select
        held.company_key,
        held.reporting_date,
        held.event_count,
        held.active_people
    from held
    {%- if by_group %}
    inner join changed_groups
        on held.company_key = changed_groups.company_key
        and held.reporting_date = changed_groups.reporting_date
    {%- endif %}
    where {{ is_frozen_day(retention, 'held.reporting_date') }}
    {%- endif %}
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
    from counted_tickets
    {%- if by_group %}
    -- a recounted company-day left without activity: written empty, then deleted
    union
    select
        company_key,
        reporting_date
    from changed_groups
    {%- elif is_incremental() %}
    union
    select
        company_key,
        reporting_date
    from held
    {%- endif %}
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
        cast(coalesce(counted_tickets.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(counted_tickets.tickets_solved, 0) as bigint) as tickets_solved,
        -- dates
        cast(company_days.reporting_date as date) as reporting_date,
        -- run metadata
        {{ run_started_at_utc() }} as _built_at
    from company_days
    left join event_days
        on company_days.company_key = event_days.company_key
        and company_days.reporting_date = event_days.reporting_date
    left join counted_tickets
        on company_days.company_key = counted_tickets.company_key
        and company_days.reporting_date = counted_tickets.reporting_date
)

select * from final
