{#-
    One row per NPS response: the respondent (by user_id, else e-mail) and
    their company as of the response (the rule events and tickets use), the
    score, its category (macro nps_category) and the day on the company's
    clock. The comment stays out of the marts: has_comment only.
-#}
with

responses as (
    select
        response_id,
        survey_id,
        person_key,
        company_key,
        person_resolved_by,
        company_resolved_by,
        comment,
        local_timezone,
        score,
        local_date,
        submitted_at,
        submitted_at_local
    from {{ ref('int_nps_responses_attributed') }}
),

final as (
    select
        -- keys
        response_id,
        person_key,
        company_key,
        -- ids
        cast(survey_id as varchar) as survey_id,
        -- strings
        person_resolved_by,
        company_resolved_by,
        cast({{ nps_category('score') }} as varchar) as category,
        local_timezone,
        -- numerics
        cast(score as integer) as score,
        -- booleans
        coalesce(trim(comment), '') <> '' as has_comment,
        -- dates
        local_date,
        -- timestamps (UTC)
        submitted_at,
        -- timestamps (local wall clock)
        submitted_at_local
    from responses
)

select * from final
