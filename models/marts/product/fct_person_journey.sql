{#- One row per person: the adoption journey as of the as-of date (int_person_journeys). -#}
with

journeys as (
    select * from {{ ref('int_person_journeys') }}
),

final as (
    select
        -- keys
        person_key,
        company_key,
        -- strings
        current_stage,
        -- numerics
        stage_change_count,
        days_in_current_stage,
        features_in_window,
        -- dates
        signed_up_date,
        activated_date,
        engaged_date,
        power_user_date,
        dormant_date,
        current_stage_since,
        last_active_date,
        as_of_date
    from journeys
)

select * from final
