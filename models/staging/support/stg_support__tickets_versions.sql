{#-
    One row per ticket version (ticket_id, updated_at): a ticket lands in
    every extract where it changed. Same set whatever order extracts landed in.
-#}
with

base as (
    select * from {{ ref('base_support__tickets') }}
    where _reject_reason is null and not _is_duplicate
),

versions as (
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
        _file as source_file
    from base
)

select * from versions
