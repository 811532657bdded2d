{#-
    One row per person identifier that merges (user_id, crm_contact_id,
    email) with the person's surviving key: the identifier's
    latest row in the key registry. Plus one row per linked anonymous_id,
    with the person of the first user it was linked to (anonymous ids never
    merge people, so they are not in the registry: they follow their user).
-#}
with

components as (
    select * from {{ ref('int_person_components') }}
),

anonymous_ids as (
    select * from {{ ref('int_anonymous_ids_linked') }}
),

registry as (
    select * from {{ ref('person_key_registry') }}
),

current_keys as (
    select
        identifier_type,
        identifier_value,
        person_key
    from registry
    qualify row_number() over (
            partition by identifier_type, identifier_value
            order by assigned_at desc
        ) = 1
),

merging_identifiers as (
    select
        components.identifier_type,
        components.identifier_value,
        current_keys.person_key,
        components.first_seen_at
    from components
    inner join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
),

anonymous_identifiers as (
    select
        'anonymous_id' as identifier_type,
        anonymous_ids.anonymous_id as identifier_value,
        merging_identifiers.person_key,
        anonymous_ids.first_seen_at
    from anonymous_ids
    inner join merging_identifiers
        on merging_identifiers.identifier_type = 'user_id'
        and anonymous_ids.user_id = merging_identifiers.identifier_value
),

final as (
    select * from merging_identifiers
    union all
    select * from anonymous_identifiers
)

select * from final
