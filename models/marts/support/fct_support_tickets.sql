{#-
    One row per help-desk ticket (its latest version), with the company and
    person it belongs to and its times in UTC and on the company's wall
    clock: int_support_tickets_attributed under an enforced contract.
-#}
with

attributed as (
    select * from {{ ref('int_support_tickets_attributed') }}
),

final as (
    select
        -- keys
        ticket_id,
        company_key,
        person_key,
        -- strings
        organization_id,
        company_resolved_by,
        status,
        priority,
        channel,
        satisfaction_rating,
        local_timezone,
        -- numerics
        hours_to_solve,
        -- booleans
        is_solved,
        -- dates
        created_local_date,
        solved_local_date,
        -- timestamps (UTC)
        created_at,
        updated_at,
        solved_at,
        -- timestamps (local wall clock)
        created_at_local,
        solved_at_local
    from attributed
)

select * from final
