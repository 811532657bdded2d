{#-
    One row per person key that lost a merge: two keys turned out to be one
    person, the loser's identifiers moved to the survivor. Derived from the
    registry log (macro key_changes: an identifier whose key changed from
    K_old to K_new, every identifier of K_old moved; a change that is part
    of a split is in person_key_splits).
    merged_at is data time: the latest link inside the merged component when
    the merge was recorded (the link that joined them is one of those);
    recorded_at is the run that found it.
-#}
with

registry as (
    select * from {{ ref('person_key_registry') }}
),

{{ key_changes('person_key') }},

final as (
    select
        old_key as loser_person_key,
        new_key as survivor_person_key,
        max(linked_at) as merged_at,
        min(assigned_at) as recorded_at
    from key_changes
    where change_kind = 'merge'
    group by old_key, new_key
)

select * from final
