{#- One row per NPS response (response_id), the latest extract's copy. -#}
with

base as (
    select * from {{ ref('base_support__nps_responses') }}
    where _reject_reason is null and not _is_duplicate
),

responses as (
    select
        -- ids
        response_id,
        survey_id,
        user_id,
        -- strings
        email,
        email_normalized,
        comment,
        -- numerics
        score,
        -- dates
        extract_date,
        -- timestamps (UTC)
        submitted_at,
        -- lineage
        _file as source_file
    from base
)

select * from responses
