{#-
    One row per person version (SCD2): the person's attributes as of
    [valid_from, valid_to), resolved per attribute with precedence
    crm > events, and the company they belong to (company_key, from
    int_person_company_memberships: a move is a new version). No gaps, no
    overlaps; the current version has valid_to null. No personal data
    (docs/privacy.md): the email as its email_hash, no names (a version may
    differ from the one before only by a name; the names are in
    personal.dim_people_contact_details), user_id null when it is an email.
-#}
{%- set attributes = [
    'email', 'first_name', 'last_name', 'full_name', 'title', 'lead_source',
    'has_opted_out_of_email', 'crm_account_id', 'company_key', 'is_deleted',
] -%}

with

attribute_changes as (
    select * from {{ ref('int_person_attribute_changes') }}
),

observations as (
    select * from {{ ref('int_person_attribute_observations') }}
),

identifiers as (
    select * from {{ ref('int_person_identifiers') }}
),

memberships as (
    select * from {{ ref('int_person_company_memberships') }}
),

changes as (
    select
        person_key as entity_key,
        attribute,
        new_value,
        changed_at
    from attribute_changes
),

-- the first version starts at the person's first observation (attribute
-- or membership); a person known only by an id starts when it was seen
first_observations as (
    select
        identifiers.person_key,
        min(observations.observed_at) as first_observed_at
    from observations
    inner join identifiers
        on observations.identifier_type = identifiers.identifier_type
        and observations.identifier_value = identifiers.identifier_value
    group by identifiers.person_key
),

first_memberships as (
    select
        person_key,
        min(valid_from) as first_member_at
    from memberships
    group by person_key
),

entities as (
    select
        identifiers.person_key as entity_key,
        coalesce(
            least(
                min(first_observations.first_observed_at),
                min(first_memberships.first_member_at)
            ),
            min(first_observations.first_observed_at),
            min(first_memberships.first_member_at),
            min(identifiers.first_seen_at)
        ) as born_at
    from identifiers
    left join first_observations
        on identifiers.person_key = first_observations.person_key
    left join first_memberships
        on identifiers.person_key = first_memberships.person_key
    group by identifiers.person_key
),

-- one id of each type per person: the earliest seen (ties: smallest)
natural_ids as (
    select
        person_key,
        identifier_type,
        identifier_value
    from identifiers
    where identifier_type in ('user_id', 'crm_contact_id')
    qualify row_number() over (
            partition by person_key, identifier_type
            order by first_seen_at, identifier_value
        ) = 1
),

natural_ids_wide as (
    select
        person_key,
        max(case when identifier_type = 'user_id' then identifier_value end)
            as user_id,
        max(case when identifier_type = 'crm_contact_id' then identifier_value end)
            as crm_contact_id
    from natural_ids
    group by person_key
),

{{ versions_from_attribute_changes('changes', 'entities', attributes) }},

final as (
    select
        -- ids
        cast(versions.entity_key as varchar) as person_key,
        cast({{ unless_email_shaped('natural_ids_wide.user_id') }} as varchar) as user_id,
        cast(natural_ids_wide.crm_contact_id as varchar) as crm_contact_id,
        cast(versions.company_key as varchar) as company_key,
        cast(versions.crm_account_id as varchar) as crm_account_id,
        -- strings
        cast({{ email_hash('versions.email') }} as varchar) as email_hash,
        cast(versions.title as varchar) as title,
        cast(versions.lead_source as varchar) as lead_source,
        -- booleans
        cast(versions.has_opted_out_of_email as boolean) as has_opted_out_of_email,
        coalesce(cast(versions.is_deleted as boolean), false) as is_deleted,
        versions.valid_to is null as is_current,
        -- timestamps (UTC)
        cast(versions.valid_from as timestamp) as valid_from,
        cast(versions.valid_to as timestamp) as valid_to
    from versions
    left join natural_ids_wide
        on versions.entity_key = natural_ids_wide.person_key
)

select * from final
