{#-
    One row per interval a person belonged to a company: [valid_from,
    valid_to), valid_to null while current; no overlaps per person. The
    assertions are group calls with analytics consent (the user acted in
    that workspace, at occurred_at; a refused call asserts nothing, doc
    block `analytics_consent_door`) and CRM contact AccountId change points (each version
    whose AccountId differs from the contact's previous version, at
    SystemModstamp). Assertions are read in time order: the same company
    again extends the interval, another company opens a new one, a contact
    detached from its account (or moved to an account we do not know) closes
    it. source is the source of the interval's first assertion.
-#}
with

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

person_identifiers as (
    select * from {{ ref('int_person_identifiers') }}
),

company_identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

event_assertions as (
    select
        persons.person_key,
        companies.company_key,
        'events' as source,
        messages.occurred_at as asserted_at
    from messages
    inner join person_identifiers as persons
        on persons.identifier_type = 'user_id'
        and messages.user_id = persons.identifier_value
    inner join company_identifiers as companies
        on companies.identifier_type = 'app_account_id'
        and messages.group_id = companies.identifier_value
    where messages.message_type = 'group'
),

contact_changes as (
    select
        contact_id,
        account_id,
        system_modified_at,
        lag(account_id) over (
            partition by contact_id
            order by system_modified_at, extract_date
        ) as previous_account_id,
        row_number() over (
            partition by contact_id
            order by system_modified_at, extract_date
        ) as version_number
    from contact_versions
),

crm_assertions as (
    select
        persons.person_key,
        companies.company_key,
        'crm' as source,
        contact_changes.system_modified_at as asserted_at
    from contact_changes
    inner join person_identifiers as persons
        on persons.identifier_type = 'crm_contact_id'
        and contact_changes.contact_id = persons.identifier_value
    left join company_identifiers as companies
        on companies.identifier_type = 'crm_account_id'
        and contact_changes.account_id = companies.identifier_value
    where contact_changes.version_number = 1
        or contact_changes.account_id is distinct from contact_changes.previous_account_id
),

-- one assertion per person and instant (ties: CRM first, then the key)
assertions as (
    select *
    from (
        select * from event_assertions
        union all
        select * from crm_assertions
    ) as all_assertions
    qualify row_number() over (
            partition by person_key, asserted_at
            order by source, company_key nulls first
        ) = 1
),

sequenced as (
    select
        person_key,
        company_key,
        source,
        asserted_at,
        lag(company_key) over (
            partition by person_key order by asserted_at
        ) as previous_company_key,
        row_number() over (
            partition by person_key order by asserted_at
        ) as assertion_number
    from assertions
),

interval_starts as (
    select
        person_key,
        company_key,
        source,
        asserted_at as valid_from
    from sequenced
    where assertion_number = 1
        or company_key is distinct from previous_company_key
),

intervals as (
    select
        person_key,
        company_key,
        source,
        valid_from,
        lead(valid_from) over (
            partition by person_key order by valid_from
        ) as valid_to
    from interval_starts
),

final as (
    select
        person_key,
        company_key,
        valid_from,
        valid_to,
        source
    from intervals
    where company_key is not null
)

select * from final
