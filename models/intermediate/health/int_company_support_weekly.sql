{#-
    One row per company and week (Monday start, company-local days) whose
    trailing var('health_window_weeks') weeks hold a ticket opened or
    solved: tickets opened in the window, of them those rated bad, tickets
    solved in the window and their median hours to solve. From
    int_support_tickets_attributed (created and solved days on the
    company's clock as of the ticket's creation).
-#}
{%- set window_weeks = var('health_window_weeks') | int %}
with

tickets as (
    select
        company_key,
        satisfaction_rating,
        hours_to_solve,
        created_local_date,
        solved_local_date
    from {{ ref('int_support_tickets_attributed') }}
    where company_key is not null
),

offsets as (
    select generated_number - 1 as week_offset
    from ({{ dbt.generate_series(window_weeks) }}) as numbers
),

opened as (
    select
        tickets.company_key,
        cast({{ dbt.dateadd(
            'day', '7 * offsets.week_offset',
            dbt.date_trunc('week', 'tickets.created_local_date')
        ) }} as date) as week_start,
        count(*) as tickets_opened,
        sum(case when tickets.satisfaction_rating = 'bad' then 1 else 0 end) as bad_ratings
    from tickets
    cross join offsets
    group by 1, 2
),

solved as (
    select
        tickets.company_key,
        cast({{ dbt.dateadd(
            'day', '7 * offsets.week_offset',
            dbt.date_trunc('week', 'tickets.solved_local_date')
        ) }} as date) as week_start,
        count(*) as tickets_solved,
        median(tickets.hours_to_solve) as median_hours_to_solve
    from tickets
    cross join offsets
    where tickets.solved_local_date is not null
    group by 1, 2
),

final as (
    select
        -- keys
        cast(coalesce(opened.company_key, solved.company_key) as varchar) as company_key,
        -- numerics
        cast(coalesce(opened.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(opened.bad_ratings, 0) as bigint) as bad_ratings,
        cast(coalesce(solved.tickets_solved, 0) as bigint) as tickets_solved,
        cast(solved.median_hours_to_solve as double) as median_hours_to_solve,
        -- dates
        cast(coalesce(opened.week_start, solved.week_start) as date) as week_start
    from opened
    full outer join solved
        on opened.company_key = solved.company_key
        and opened.week_start = solved.week_start
)

select * from final
