{#-
    Every landed NPS response row, typed, with the first check it fails (if
    any) and whether it repeats a response already loaded. A response is
    immutable: the same response_id landing again is a duplicate, and the
    latest extract's copy is kept.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('support', 'nps_responses') %}

with

source as (
    select * from {{ source('support', 'nps_responses') }}
    where {{ landing_partition_filter(plan) }}
),

-- rows of a person erased on request (doc block `erasure`) are withheld
-- from every load, counted in ops.load_reconciliation as erased
erased as (
    {{ erased_values('source', erasure_columns('support', 'nps_responses')) }}
),

kept as (
    select * from source
    where not {{ is_erased('erased', erasure_columns('support', 'nps_responses')) }}
),

typed as (
    select
        -- ids
        nullif(trim(cast(response_id as varchar)), '') as response_id,
        nullif(trim(cast(survey_id as varchar)), '') as survey_id,
        nullif(trim(cast(user_id as varchar)), '') as user_id,
        -- strings
        email,
        nullif(lower(trim(email)), '') as email_normalized,
        comment,
        -- timestamps (UTC)
        {{ iso_to_utc('submitted_at') }} as submitted_at,
        -- raw values, for reject messages
        cast(response_id as varchar) as _record_key,
        nullif(trim(cast(score as varchar)), '') as _raw_score,
        submitted_at as _raw_submitted_at,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from kept
),

numbered as (
    -- the score as a number first, so '7', 7 and 7.0 are all 7 and 7.5 is caught
    select
        *,
        try_cast(_raw_score as double) as _score_number
    from typed
),

scored as (
    select
        *,
        case
            when _score_number = floor(_score_number)
                and _score_number between 0 and 10
                then cast(_score_number as integer)
        end as score
    from numbered
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'response_id is null', 'column': 'response_id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': '_raw_score is not null and (_score_number is null'
                ~ ' or _score_number <> floor(_score_number))',
             'column': 'score', 'value': '_raw_score',
             'reason': 'not a whole number'},
            {'fails': '_score_number is null or _score_number not between 0 and 10',
             'column': 'score', 'value': '_raw_score',
             'reason': 'score out of range'},
            {'fails': 'submitted_at is null', 'column': 'submitted_at',
             'value': '_raw_submitted_at', 'reason': 'unparseable timestamp'},
        ]) }}
    from scored
),

{{ landing_deduplicated('checked', plan) }}
