{#-
    Fails with every person whose last stage change (fct_person_stage_changes)
    is not their current stage (fct_person_journey), or who has a current
    stage and no change, or changes and no current stage.
-#}
with

last_changes as (
    select
        person_key,
        to_stage
    from {{ ref('fct_person_stage_changes') }}
    qualify row_number() over (
            partition by person_key order by change_number desc
        ) = 1
),

journeys as (
    select
        person_key,
        current_stage
    from {{ ref('fct_person_journey') }}
),

final as (
    select
        coalesce(journeys.person_key, last_changes.person_key) as person_key,
        journeys.current_stage,
        last_changes.to_stage as last_to_stage
    from journeys
    full outer join last_changes on journeys.person_key = last_changes.person_key
    where (journeys.current_stage is distinct from last_changes.to_stage)
)

select * from final
