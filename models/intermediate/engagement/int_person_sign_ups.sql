{#-
    One row per person with a sign-up: signed_up_at, the earlier of the
    person's first identify call (consented, int_events_attributed; only
    identify rows are read) and the creation of a CRM contact linked to the
    person (stg_crm__contacts.created_at via int_person_identifiers
    crm_contact_id; a contact deleted since still dates its creation).
    signed_up_date is that instant's company-local day: the identify call's
    local_date, or the contact creation on the clock of the person's company
    at that instant (int_person_company_windows, int_company_timezones),
    UTC without one. Ties: the identify call. The journey's signed_up stage
    starts here (doc block `journey_rules`). Full rebuild: one row per
    person.
-#}
with

identifies as (
    select
        person_key,
        local_date,
        occurred_at
    from {{ ref('int_events_attributed') }}
    where message_type = 'identify'
        and not coalesce(_is_removed, false)
        and person_key is not null
        and occurred_at is not null
),

contacts as (
    select
        contact_id,
        created_at
    from {{ ref('stg_crm__contacts') }}
    where created_at is not null
),

person_identifiers as (
    select
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type = 'crm_contact_id'
),

person_windows as (
    select
        person_key,
        company_key,
        valid_from,
        valid_to
    from {{ ref('int_person_company_windows') }}
),

company_zones as (
    select
        company_key,
        timezone,
        is_first,
        valid_from,
        valid_to
    from {{ ref('int_company_timezones') }}
),

first_identifies as (
    select
        person_key,
        'identify' as source,
        local_date,
        occurred_at as signed_up_at
    from identifies
    qualify row_number() over (
            partition by person_key order by occurred_at, local_date
        ) = 1
),

first_contacts as (
    select
        person_identifiers.person_key,
        min(contacts.created_at) as created_at
    from contacts
    inner join person_identifiers
        on contacts.contact_id = person_identifiers.identifier_value
    group by person_identifiers.person_key
),

-- the contact's creation on the clock of the person's company at that instant
contact_sign_ups as (
    select
        first_contacts.person_key,
        'crm' as source,
        cast(
            coalesce(
                {{ utc_to_local('first_contacts.created_at', 'zones.timezone') }},
                first_contacts.created_at
            ) as date
        ) as local_date,
        first_contacts.created_at as signed_up_at
    from first_contacts
    left join person_windows as windows
        on first_contacts.person_key = windows.person_key
        and {{ person_company_at('windows', 'first_contacts.created_at') }}
    left join company_zones as zones
        on windows.company_key = zones.company_key
        and {{ company_timezone_at('zones', 'first_contacts.created_at') }}
),

candidates as (
    select * from first_identifies
    union all
    select * from contact_sign_ups
),

earliest as (
    select
        person_key,
        local_date,
        signed_up_at
    from candidates
    qualify row_number() over (
            partition by person_key
            order by signed_up_at, case when source = 'identify' then 0 else 1 end
        ) = 1
),

final as (
    select
        -- keys
        cast(person_key as varchar) as person_key,
        -- dates
        cast(local_date as date) as signed_up_date,
        -- timestamps (UTC)
        cast(signed_up_at as timestamp) as signed_up_at
    from earliest
)

select * from final
