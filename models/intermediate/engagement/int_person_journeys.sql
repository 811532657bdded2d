{#-
    One row per person (every person_key of int_person_identifiers, the
    people of dim_people): the local day each journey stage was first
    reached (each rule on its own, whatever the precedence), the current
    stage as of the as-of date (the latest local day in
    int_person_activity_daily; precedence in the doc block
    `journey_rules`), since when, and the person's current company (the
    membership of int_person_company_memberships still open; null when
    none, as dim_people.company_key). Full rebuild.
-#}
with

people as (
    select distinct person_key
    from {{ ref('int_person_identifiers') }}
),

states as (
    select
        person_key,
        stage,
        features_in_window,
        is_signed_up,
        is_activated,
        is_engaged,
        is_power_user,
        is_dormant,
        valid_from,
        valid_to
    from {{ ref('int_person_journey_states') }}
),

changes as (
    select
        person_key,
        changed_on
    from {{ ref('int_person_stage_changes') }}
),

current_memberships as (
    select
        person_key,
        company_key
    from {{ ref('int_person_company_memberships') }}
    where valid_to is null
),

last_activity as (
    select
        person_key,
        max(local_date) as last_active_date
    from {{ ref('int_person_activity_daily') }}
    where person_key is not null and event_count > 0
    group by person_key
),

as_of as (
    select max(last_active_date) as as_of_date
    from last_activity
),

first_reached as (
    select
        person_key,
        min(case when is_signed_up then valid_from end) as signed_up_date,
        min(case when is_activated then valid_from end) as activated_date,
        min(case when is_engaged then valid_from end) as engaged_date,
        min(case when is_power_user then valid_from end) as power_user_date,
        min(case when is_dormant then valid_from end) as dormant_date
    from states
    group by person_key
),

current_states as (
    select
        person_key,
        stage,
        features_in_window
    from states
    where valid_to is null
),

change_counts as (
    select
        person_key,
        count(*) as stage_change_count,
        max(changed_on) as current_stage_since
    from changes
    group by person_key
),

joined as (
    select
        people.person_key,
        current_memberships.company_key,
        current_states.stage as current_stage,
        coalesce(change_counts.stage_change_count, 0) as stage_change_count,
        coalesce(current_states.features_in_window, 0) as features_in_window,
        first_reached.signed_up_date,
        first_reached.activated_date,
        first_reached.engaged_date,
        first_reached.power_user_date,
        first_reached.dormant_date,
        change_counts.current_stage_since,
        last_activity.last_active_date,
        as_of.as_of_date
    from people
    cross join as_of
    left join current_memberships on people.person_key = current_memberships.person_key
    left join current_states on people.person_key = current_states.person_key
    left join change_counts on people.person_key = change_counts.person_key
    left join first_reached on people.person_key = first_reached.person_key
    left join last_activity on people.person_key = last_activity.person_key
),

final as (
    select
        -- keys
        cast(person_key as varchar) as person_key,
        cast(company_key as varchar) as company_key,
        -- strings
        cast(current_stage as varchar) as current_stage,
        -- numerics
        cast(stage_change_count as bigint) as stage_change_count,
        -- dbt.datediff expands to one long line
        -- noqa: disable=LT05
        cast(
            {{ dbt.datediff('current_stage_since', 'as_of_date', 'day') }} as bigint
        ) as days_in_current_stage,
        -- noqa: enable=LT05
        cast(features_in_window as bigint) as features_in_window,
        -- dates
        cast(signed_up_date as date) as signed_up_date,
        cast(activated_date as date) as activated_date,
        cast(engaged_date as date) as engaged_date,
        cast(power_user_date as date) as power_user_date,
        cast(dormant_date as date) as dormant_date,
        cast(current_stage_since as date) as current_stage_since,
        cast(last_active_date as date) as last_active_date,
        cast(as_of_date as date) as as_of_date
    from joined
)

select * from final
