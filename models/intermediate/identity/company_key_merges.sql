{#-
    One row per company key that lost a merge: two keys turned out to be one
    company, the loser's identifiers moved to the survivor. Derived from the
    registry log (an identifier whose key changed from K_old to K_new).
    merged_at is data time: the latest link inside the merged component when
    the merge was recorded (the link that joined them is one of those);
    recorded_at is the run that found it.
-#}
with

registry as (
    select * from {{ ref('company_key_registry') }}
),

key_changes as (
    select
        lag(company_key) over (
            partition by identifier_type, identifier_value
            order by assigned_at
        ) as loser_company_key,
        company_key as survivor_company_key,
        linked_at,
        assigned_at
    from registry
),

final as (
    select
        loser_company_key,
        survivor_company_key,
        max(linked_at) as merged_at,
        min(assigned_at) as recorded_at
    from key_changes
    where loser_company_key is not null
        and loser_company_key <> survivor_company_key
    group by loser_company_key, survivor_company_key
)

select * from final
