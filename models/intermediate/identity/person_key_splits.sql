{#-
    One row per split of a person key (kept key, split key): some
    identifiers that held kept_person_key were separated from it (a never_same
    row of seeds/identity_overrides.csv, or a link that became a hub link)
    and hold split_person_key from then on: a new key (never issued before)
    or the key of the person they joined. kept_person_key stays with the side
    holding the entity's earliest-seen identifier. Derived from the registry
    log (macro key_changes); recorded_at is the run that found it.
-#}
with

registry as (
    select * from {{ ref('person_key_registry') }}
),

{{ key_changes('person_key') }},

final as (
    select
        old_key as kept_person_key,
        new_key as split_person_key,
        count(distinct identifier_type || '|' || identifier_value) as identifier_count,
        min(assigned_at) as recorded_at
    from key_changes
    where change_kind = 'split'
    group by old_key, new_key
)

select * from final
