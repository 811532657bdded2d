{#-
    One row per ticket: its latest version by updated_at (ties: the later
    extract). Tickets are never deleted in the help-desk export (incremental
    only), so there is no delete flag.
-#}
with

versions as (
    select * from {{ ref('stg_support__tickets_versions') }}
),

latest as (
    select
        -- ids
        ticket_id,
        organization_id,
        -- strings
        requester_email,
        requester_email_normalized,
        status,
        priority,
        channel,
        satisfaction_rating,
        -- dates
        extract_date,
        -- timestamps (UTC)
        created_at,
        updated_at,
        solved_at,
        -- lineage
        source_file
    from versions
    qualify row_number() over (
            partition by ticket_id
            order by updated_at desc, extract_date desc
        ) = 1
)

select * from latest
