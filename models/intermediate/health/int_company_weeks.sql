{#-
    One row per company and week (Monday to Sunday on the company's clock)
    from the week of its first activity or first subscription to the week
    of the as-of date: the spine of company health. The as-of date is the
    latest local day with activity (the latest billing extract when there
    is no activity at all), never the wall clock, so a rebuild gives the
    same weeks. The as-of week is cut at the as-of date (is_complete_week
    false). A week that starts before the first day any event was landed
    (events_from_date) has no event history (has_event_history false):
    billing may reach back years before the events do, and usage there is
    unknown, not zero. Activity days are already company-local; a subscription's
    start is taken on its UTC date.
-#}
with

activity_starts as (
    select
        company_key,
        min(local_date) as start_date
    from {{ ref('int_person_activity_daily') }}
    where company_key is not null
    group by company_key
),

customer_companies as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

subscription_starts as (
    select
        customer_companies.company_key,
        min(cast(coalesce(observations.started_at, observations.created_at) as date))
            as start_date
    from {{ ref('int_subscription_observations') }} as observations
    inner join customer_companies
        on observations.customer_id = customer_companies.customer_id
    where observations.status <> 'absent'
    group by customer_companies.company_key
),

company_starts as (
    select
        company_key,
        min(start_date) as start_date
    from (
        select
            company_key,
            start_date
        from activity_starts
        union all
        select
            company_key,
            start_date
        from subscription_starts
    ) as starts
    group by company_key
),

as_of as (
    select
        (select min(local_date) from {{ ref('int_person_activity_daily') }}) as events_from_date,
        coalesce(
            (select max(local_date) from {{ ref('int_person_activity_daily') }}),
            (select max(extract_date) from {{ ref('int_subscription_observations') }})
        ) as as_of_date
),

mondays as (
    select calendar_date as week_start
    from {{ ref('int_calendar_days') }}
    where calendar_date = cast({{ dbt.date_trunc('week', 'calendar_date') }} as date)
),

final as (
    select
        -- keys
        cast(company_starts.company_key as varchar) as company_key,
        -- numerics
        cast(row_number() over (
            partition by company_starts.company_key
            order by mondays.week_start
        ) as integer) as week_number,
        -- booleans
        {{ dbt.dateadd('day', 6, 'mondays.week_start') }} <= as_of.as_of_date
            as is_complete_week,
        coalesce(mondays.week_start >= as_of.events_from_date, false) as has_event_history,
        -- dates
        cast(mondays.week_start as date) as week_start,
        cast(
            case
                when {{ dbt.dateadd('day', 6, 'mondays.week_start') }} <= as_of.as_of_date
                    then {{ dbt.dateadd('day', 6, 'mondays.week_start') }}
                else as_of.as_of_date
            end as date
        ) as week_end_date,
        cast(as_of.events_from_date as date) as events_from_date,
        cast(as_of.as_of_date as date) as as_of_date
    from company_starts
    cross join as_of
    inner join mondays
        on mondays.week_start
        >= cast({{ dbt.date_trunc('week', 'company_starts.start_date') }} as date)
        and mondays.week_start <= as_of.as_of_date
)

select * from final
