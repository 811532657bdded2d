{#-
    One row per person and change of journey stage: from_stage (null for
    the first stage a person reaches), to_stage, the local day of the change
    and how many days the person spent in the previous stage. From
    int_person_journey_states: a row whose stage differs from the row
    before it (the stage follows the precedence of the doc block
    `journey_rules`, so two rules that start on the same day are one
    change). The last to_stage is the person's current stage. Full rebuild.
    Only people of int_person_identifiers (those int_person_journeys
    describes): a person whose every identifier came from events that aged
    out (doc block `event_retention`) keeps their counted activity days but
    no longer has a journey.
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
        valid_from
    from {{ ref('int_person_journey_states') }}
    where person_key in (select person_key from people)
),

sequenced as (
    select
        person_key,
        stage,
        valid_from,
        lag(stage) over (partition by person_key order by valid_from) as previous_stage
    from states
),

-- a stage is never left for no stage: nulls only come before the first one
changes as (
    select
        person_key,
        stage as to_stage,
        valid_from as changed_on
    from sequenced
    where stage is not null
        and (previous_stage is null or stage <> previous_stage)
),

numbered as (
    select
        person_key,
        lag(to_stage) over (partition by person_key order by changed_on) as from_stage,
        to_stage,
        row_number() over (partition by person_key order by changed_on) as change_number,
        lag(changed_on) over (partition by person_key order by changed_on) as previous_changed_on,
        changed_on
    from changes
),

final as (
    select
        -- keys
        cast(person_key as varchar) as person_key,
        -- strings
        cast(from_stage as varchar) as from_stage,
        cast(to_stage as varchar) as to_stage,
        -- numerics
        cast(change_number as bigint) as change_number,
        -- dbt.datediff expands to one long line
        -- noqa: disable=LT05
        cast(
            {{ dbt.datediff('previous_changed_on', 'changed_on', 'day') }} as bigint
        ) as days_in_previous_stage,
        -- noqa: enable=LT05
        -- dates
        cast(changed_on as date) as changed_on
    from numbered
)

select * from final
