{#-
    One row per resolved person attribute change: (person_key, attribute,
    changed_at), with the value before and after, and the source and model
    of the winning observation. Observations reach their person through
    int_person_identifiers (the surviving key). Company membership is the
    attribute `company_key`: a membership sets it at valid_from and, unless
    another membership starts then, clears it at valid_to.
-#}
with

observations as (
    select * from {{ ref('int_person_attribute_observations') }}
),

identifiers as (
    select * from {{ ref('int_person_identifiers') }}
),

memberships as (
    select * from {{ ref('int_person_company_memberships') }}
),

membership_starts as (
    select
        person_key as entity_key,
        person_key as identifier_value,
        'company_key' as attribute,
        company_key as attribute_value,
        valid_from as observed_at,
        source,
        1 as source_precedence,
        'int_person_company_memberships' as source_model
    from memberships
),

membership_ends as (
    select
        ended.person_key as entity_key,
        ended.person_key as identifier_value,
        'company_key' as attribute,
        cast(null as varchar) as attribute_value,
        ended.valid_to as observed_at,
        ended.source,
        1 as source_precedence,
        'int_person_company_memberships' as source_model
    from memberships as ended
    where ended.valid_to is not null
        and not exists (
            select 1
            from memberships as next_membership
            where next_membership.person_key = ended.person_key
                and next_membership.valid_from = ended.valid_to
        )
),

keyed_observations as (
    select
        identifiers.person_key as entity_key,
        observations.identifier_value,
        observations.attribute,
        observations.attribute_value,
        observations.observed_at,
        observations.source,
        observations.source_precedence,
        observations.source_model
    from observations
    inner join identifiers
        on observations.identifier_type = identifiers.identifier_type
        and observations.identifier_value = identifiers.identifier_value
    union all
    select * from membership_starts
    union all
    select * from membership_ends
),

{{ resolve_attribute_changes('keyed_observations') }},

final as (
    select
        -- ids
        entity_key as person_key,
        -- strings
        attribute,
        old_value,
        new_value,
        source,
        source_model,
        -- timestamps (UTC)
        changed_at
    from resolved_changes
)

select * from final
