{#-
    One row per person of dim_people: the personal data the analytics file
    does not hold (docs/privacy.md), for activation (export_person_traits)
    and for nobody else: the email, the names and the app's user id as the
    app knows it (an email in some products). Current values, as
    dim_people shows the current version: each attribute's latest change
    (int_person_attribute_changes, ties: the largest value, as the
    versions macro resolves them). Schema personal: the build file only.
-#}
with

people as (
    select
        person_key,
        email_hash
    from {{ ref('dim_people') }}
),

changes as (
    select
        person_key,
        attribute,
        new_value,
        rank() over (
            partition by person_key, attribute order by changed_at desc
        ) as change_rank
    from {{ ref('int_person_attribute_changes') }}
    where attribute in ('email', 'first_name', 'last_name', 'full_name')
),

current_values as (
    select
        person_key,
        max(case when attribute = 'email' then new_value end) as email,
        max(case when attribute = 'first_name' then new_value end) as first_name,
        max(case when attribute = 'last_name' then new_value end) as last_name,
        max(case when attribute = 'full_name' then new_value end) as full_name
    from changes
    where change_rank = 1
    group by person_key
),

-- the user id dim_people_history picks (earliest seen; ties: smallest),
-- before it hides an email-shaped one
user_ids as (
    select
        person_key,
        identifier_value as user_id
    from {{ ref('int_person_identifiers') }}
    where identifier_type = 'user_id'
    qualify row_number() over (
            partition by person_key
            order by first_seen_at, identifier_value
        ) = 1
),

final as (
    select
        -- ids
        cast(people.person_key as varchar) as person_key,
        cast(user_ids.user_id as varchar) as user_id,
        -- strings
        cast(people.email_hash as varchar) as email_hash,
        cast(current_values.email as varchar) as email,
        cast(current_values.first_name as varchar) as first_name,
        cast(current_values.last_name as varchar) as last_name,
        cast(current_values.full_name as varchar) as full_name
    from people
    left join current_values on people.person_key = current_values.person_key
    left join user_ids on people.person_key = user_ids.person_key
)

select * from final
