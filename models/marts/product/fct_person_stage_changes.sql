{#- One row per person and change of journey stage (int_person_stage_changes). -#}
with

changes as (
    select * from {{ ref('int_person_stage_changes') }}
),

final as (
    select
        -- keys
        person_key,
        -- strings
        from_stage,
        to_stage,
        -- numerics
        change_number,
        days_in_previous_stage,
        -- dates
        changed_on
    from changes
)

select * from final
