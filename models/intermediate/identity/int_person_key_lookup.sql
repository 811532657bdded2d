{#-
    One row per person key ever issued (survivors and losers of merges)
    with the key that survives today: join facts or old exports on
    issued_person_key to carry the survivor. Every identifier that ever held
    a key now sits in the same person (links only accumulate), so the
    survivor is the current key of any of them.
-#}
with

registry as (
    select * from {{ ref('person_key_registry') }}
),

identifiers as (
    select * from {{ ref('int_person_identifiers') }}
),

final as (
    select distinct
        registry.person_key as issued_person_key,
        identifiers.person_key
    from registry
    inner join identifiers
        on registry.identifier_type = identifiers.identifier_type
        and registry.identifier_value = identifiers.identifier_value
)

select * from final
