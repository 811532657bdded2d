{#-
    One row per person and local day on which a journey rule starts or
    stops holding, up to the as-of date (the latest local day in
    int_person_activity_daily): which rules hold from that day until the
    next row (valid_to, exclusive; null = still on the as-of date) and the
    stage they give. The rules and their precedence are the doc block
    `journey_rules`; the thresholds are vars (journey_*).

    No calendar: each rule becomes windows of days computed from a person's
    activity rows with window functions (engaged: over the distinct weeks
    with key events; power_user: over each feature's use days; dormant:
    over the gaps between active days), each window a +1 at its start and a
    -1 at its end; running sums over those boundaries say which rules hold.
    Rows grow with active days, never with days x people. Full rebuild
    (person-days are far fewer than events).
-#}
{%- set engaged_min_weeks = var('journey_engaged_min_weeks') | int %}
{%- set engaged_window_weeks = var('journey_engaged_window_weeks') | int %}
{%- set power_user_min_features = var('journey_power_user_min_features') | int %}
{%- set power_user_window_days = var('journey_power_user_window_days') | int %}
{%- set dormant_days = var('journey_dormant_days') | int %}
{%- set running = 'over (partition by person_key order by boundary_date'
    ~ ' rows between unbounded preceding and current row)' %}
with

sign_ups as (
    select
        person_key,
        signed_up_date
    from {{ ref('int_person_sign_ups') }}
),

-- each step reads the activity itself (no shared CTE of all of it)
as_of as (
    select max(local_date) as as_of_date
    from {{ ref('int_person_activity_daily') }}
    where person_key is not null and event_count > 0
),

activations as (
    select
        person_key,
        min(local_date) as activated_date
    from {{ ref('int_person_activity_daily') }}
    where person_key is not null and key_event_count > 0
    group by person_key
),

-- signed_up: the sign-up, or the activation when it comes first (no sign-up known)
entries as (
    select
        coalesce(sign_ups.person_key, activations.person_key) as person_key,
        activations.activated_date,
        coalesce(
            least(sign_ups.signed_up_date, activations.activated_date),
            sign_ups.signed_up_date,
            activations.activated_date
        ) as signed_up_date
    from sign_ups
    full outer join activations on sign_ups.person_key = activations.person_key
),

-- engaged: the weeks (Monday, local day) with key events and their first key day
key_weeks as (
    select
        person_key,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date) as week_start,
        min(local_date) as first_key_date
    from {{ ref('int_person_activity_daily') }}
    where person_key is not null and key_event_count > 0
    group by person_key, cast({{ dbt.date_trunc('week', 'local_date') }} as date)
),

key_week_runs as (
    select
        person_key,
        week_start,
        first_key_date,
        lag(week_start, {{ engaged_min_weeks - 1 }}) over (
            partition by person_key order by week_start
        ) as run_first_week
    from key_weeks
),

-- N key weeks within M: engaged from the first key day of the N-th week
-- until the oldest of them leaves the trailing M weeks
engaged_windows as (
    select
        person_key,
        first_key_date as valid_from,
        cast(
            {{ dbt.dateadd('day', 7 * engaged_window_weeks, 'run_first_week') }} as date
        ) as valid_to
    from key_week_runs
    where run_first_week is not null
        and {{ dbt.datediff('run_first_week', 'week_start', 'day') }}
        <= {{ 7 * (engaged_window_weeks - 1) }}
),

-- power_user: each feature counts on the W days from each use day
feature_days as (
    select
        person_key,
        feature,
        local_date,
        lag(local_date) over (
            partition by person_key, feature order by local_date
        ) as previous_use_date
    from {{ ref('int_person_activity_daily') }}
    where person_key is not null and feature is not null and event_count > 0
    group by person_key, feature, local_date
),

feature_day_islands as (
    select
        person_key,
        feature,
        local_date,
        sum(
            case
                when previous_use_date is null then 1
                -- dbt.datediff expands to one long line
                -- noqa: disable=LT05
                when {{ dbt.datediff('previous_use_date', 'local_date', 'day') }}
                    > {{ power_user_window_days }} then 1
                -- noqa: enable=LT05
                else 0
            end
        ) over (
            partition by person_key, feature order by local_date
            rows between unbounded preceding and current row
        ) as island_number
    from feature_days
),

feature_windows as (
    select
        person_key,
        feature,
        min(local_date) as valid_from,
        cast(
            {{ dbt.dateadd('day', power_user_window_days, 'max(local_date)') }} as date
        ) as valid_to
    from feature_day_islands
    group by person_key, feature, island_number
),

-- dormant: an activated person's gaps between active days longer than D
active_days as (
    select
        activity.person_key,
        activity.local_date,
        lead(activity.local_date) over (
            partition by activity.person_key order by activity.local_date
        ) as next_active_date
    from {{ ref('int_person_activity_daily') }} as activity
    inner join activations
        on activity.person_key = activations.person_key
        and activity.local_date >= activations.activated_date
    where activity.event_count > 0
    group by activity.person_key, activity.local_date
),

dormant_windows as (
    select
        person_key,
        cast({{ dbt.dateadd('day', dormant_days, 'local_date') }} as date) as valid_from,
        next_active_date as valid_to
    from active_days
    -- dbt.datediff expands to one long line
    -- noqa: disable=LT05
    where next_active_date is null
        or {{ dbt.datediff('local_date', 'next_active_date', 'day') }} > {{ dormant_days }}
),
-- noqa: enable=LT05

-- every window as +1 at its start and -1 at its end
deltas as (
    select
        person_key,
        signed_up_date as boundary_date,
        1 as signed_up_delta,
        0 as activated_delta,
        0 as engaged_delta,
        0 as feature_delta,
        0 as dormant_delta
    from entries
    where signed_up_date is not null
    union all
    select
        person_key,
        activated_date as boundary_date,
        0 as signed_up_delta,
        1 as activated_delta,
        0 as engaged_delta,
        0 as feature_delta,
        0 as dormant_delta
    from entries
    where activated_date is not null
    union all
    select
        person_key,
        valid_from as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        1 as engaged_delta,
        0 as feature_delta,
        0 as dormant_delta
    from engaged_windows
    union all
    select
        person_key,
        valid_to as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        -1 as engaged_delta,
        0 as feature_delta,
        0 as dormant_delta
    from engaged_windows
    union all
    select
        person_key,
        valid_from as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        0 as engaged_delta,
        1 as feature_delta,
        0 as dormant_delta
    from feature_windows
    union all
    select
        person_key,
        valid_to as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        0 as engaged_delta,
        -1 as feature_delta,
        0 as dormant_delta
    from feature_windows
    union all
    select
        person_key,
        valid_from as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        0 as engaged_delta,
        0 as feature_delta,
        1 as dormant_delta
    from dormant_windows
    union all
    select
        person_key,
        valid_to as boundary_date,
        0 as signed_up_delta,
        0 as activated_delta,
        0 as engaged_delta,
        0 as feature_delta,
        -1 as dormant_delta
    from dormant_windows
    where valid_to is not null
),

-- one row per person and boundary up to the as-of date (later ones have not happened)
boundaries as (
    select
        deltas.person_key,
        deltas.boundary_date,
        as_of.as_of_date,
        sum(deltas.signed_up_delta) as signed_up_delta,
        sum(deltas.activated_delta) as activated_delta,
        sum(deltas.engaged_delta) as engaged_delta,
        sum(deltas.feature_delta) as feature_delta,
        sum(deltas.dormant_delta) as dormant_delta
    from deltas
    cross join as_of
    where deltas.boundary_date <= as_of.as_of_date
    group by deltas.person_key, deltas.boundary_date, as_of.as_of_date
),

holding as (
    select
        person_key,
        boundary_date,
        as_of_date,
        sum(feature_delta) {{ running }} as features_in_window,
        sum(signed_up_delta) {{ running }} > 0 as is_signed_up,
        sum(activated_delta) {{ running }} > 0 as is_activated,
        sum(engaged_delta) {{ running }} > 0 as is_engaged,
        sum(dormant_delta) {{ running }} > 0 as is_dormant,
        lead(boundary_date) over (
            partition by person_key order by boundary_date
        ) as next_boundary_date
    from boundaries
),

staged as (
    select
        person_key,
        features_in_window,
        is_signed_up,
        is_activated,
        is_engaged,
        is_activated and features_in_window >= {{ power_user_min_features }} as is_power_user,
        is_dormant,
        boundary_date,
        next_boundary_date,
        as_of_date
    from holding
),

final as (
    select
        -- keys
        cast(person_key as varchar) as person_key,
        -- strings
        cast(
            case
                when is_dormant then 'dormant'
                when is_power_user then 'power_user'
                when is_engaged then 'engaged'
                when is_activated then 'activated'
                when is_signed_up then 'signed_up'
            end as varchar
        ) as stage,
        -- numerics
        cast(features_in_window as bigint) as features_in_window,
        -- booleans
        is_signed_up,
        is_activated,
        is_engaged,
        is_power_user,
        is_dormant,
        -- dates
        cast(boundary_date as date) as valid_from,
        cast(next_boundary_date as date) as valid_to,
        cast(as_of_date as date) as as_of_date
    from staged
)

select * from final
