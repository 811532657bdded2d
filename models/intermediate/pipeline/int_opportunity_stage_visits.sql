{#-
    One row per opportunity and stage visit: a run of consecutive versions
    (by SystemModstamp) in one stage, entered at the first version's time
    (the opportunity's CreatedDate for its first stage) and left when the
    next stage's first version was written; left_at null while it is the
    current stage. A stage visited twice is two visits.
-#}
with

versions as (
    select
        opportunity_id,
        trim(stage_name) as stage_name,
        created_at,
        system_modified_at
    from {{ ref('stg_crm__opportunities_versions') }}
),

changes as (
    select
        *,
        lag(stage_name) over (
            partition by opportunity_id order by system_modified_at
        ) as previous_stage_name,
        row_number() over (
            partition by opportunity_id order by system_modified_at
        ) as version_number
    from versions
),

entries as (
    select
        opportunity_id,
        stage_name,
        case
            when version_number = 1
                then least(coalesce(created_at, system_modified_at), system_modified_at)
            else system_modified_at
        end as entered_at
    from changes
    where version_number = 1
        or stage_name is distinct from previous_stage_name
),

visits as (
    select
        opportunity_id,
        stage_name,
        entered_at,
        lead(entered_at) over (
            partition by opportunity_id order by entered_at
        ) as left_at,
        row_number() over (
            partition by opportunity_id order by entered_at
        ) as visit_number
    from entries
),

final as (
    select
        -- ids
        opportunity_id,
        -- strings
        stage_name,
        -- numerics
        cast(visit_number as bigint) as visit_number,
        -- timestamps (UTC)
        entered_at,
        left_at
    from visits
)

select * from final
