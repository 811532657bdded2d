{#-
    One row per company, feature and window [valid_from, valid_to) in which
    the app's switch for the feature was on or off (toggle_state), from the
    track events in var('feature_toggle_on_events') / var('feature_toggle_off_events')
    with `properties.feature`. Read from int_events_attributed, the one place
    that resolves each consented message's company as of the event: a toggle
    sent without consent is not used (see the feature_access doc).
    Flapping: within one company-local day (int_events_attributed.local_date) only
    the day's net change counts (see the doc). Before a company's first
    toggle the switch has no state (no row).
-#}
{%- set on_events = var('feature_toggle_on_events') %}
{%- set off_events = var('feature_toggle_off_events') %}
with

events as (
    select
        message_id,
        company_key,
        event_name,
        feature,
        occurred_at,
        received_at,
        local_date
    from {{ ref('int_events_attributed') }}
    where message_type = 'track'
        and event_name in (
            {%- for name in on_events + off_events %}
                '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
),

toggles as (
    select
        message_id,
        company_key,
        lower(trim(feature)) as feature,
        event_name in (
            {%- for name in on_events %}
                '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_on,
        occurred_at,
        received_at,
        -- the day flapping is netted over: the company's local day
        local_date as toggle_date
    from events
    -- toggles without a company or a feature are reported in
    -- ops.data_issues and rpt_event_quality
    where company_key is not null
        and nullif(trim(feature), '') is not null
),

-- one total order, so equal timestamps still resolve the same way every run
ordered as (
    select
        *,
        row_number() over (
            partition by company_key, feature
            order by occurred_at, received_at, message_id
        ) as toggle_number
    from toggles
),

days as (
    select
        company_key,
        feature,
        toggle_date,
        count(*) as day_toggle_count,
        max(toggle_number) as last_toggle_number
    from ordered
    group by company_key, feature, toggle_date
),

day_ends as (
    select
        days.company_key,
        days.feature,
        days.toggle_date,
        days.day_toggle_count,
        ordered.is_on as is_on_at_day_end
    from days
    inner join ordered
        on days.company_key = ordered.company_key
        and days.feature = ordered.feature
        and days.last_toggle_number = ordered.toggle_number
),

-- a day changes the switch only when it ends in another position than the
-- day before ended in (or it is the first day with a toggle)
day_changes as (
    select *
    from (
        select
            *,
            lag(is_on_at_day_end) over (
                partition by company_key, feature order by toggle_date
            ) as was_on_before_day
        from day_ends
    ) as with_previous
    where was_on_before_day is null or was_on_before_day <> is_on_at_day_end
),

-- the change takes effect at the day's first toggle into the end position
changes as (
    select
        ordered.company_key,
        ordered.feature,
        ordered.is_on,
        ordered.message_id,
        ordered.occurred_at,
        day_changes.toggle_date,
        day_changes.day_toggle_count
    from day_changes
    inner join ordered
        on day_changes.company_key = ordered.company_key
        and day_changes.feature = ordered.feature
        and day_changes.toggle_date = ordered.toggle_date
        and day_changes.is_on_at_day_end = ordered.is_on
    qualify row_number() over (
            partition by ordered.company_key, ordered.feature, ordered.toggle_date
            order by ordered.toggle_number
        ) = 1
),

final as (
    select
        -- keys
        company_key,
        feature,
        -- ids
        message_id,
        -- strings
        case when is_on then 'on' else 'off' end as toggle_state,
        -- numerics
        day_toggle_count,
        -- dates
        toggle_date,
        -- timestamps (UTC)
        occurred_at as valid_from,
        lead(occurred_at) over (
            partition by company_key, feature order by occurred_at
        ) as valid_to
    from changes
)

select * from final
