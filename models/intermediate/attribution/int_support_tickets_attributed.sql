{#-
    One row per help-desk ticket (its latest version), with the requester
    (by e-mail), the company it belongs to (the organization the help desk
    names, else the requester's company by the rule of the doc block
    `person_company_attribution`, as for events) and its times both in UTC
    and on the company's wall clock as of the ticket's creation. The help
    desk writes naive local times in its own zone (var('support_timezone'));
    staging made them UTC.
-#}
with

tickets as (
    select
        ticket_id,
        organization_id,
        requester_email_normalized,
        status,
        priority,
        channel,
        satisfaction_rating,
        created_at,
        updated_at,
        solved_at
    from {{ ref('stg_support__tickets') }}
),

company_identifiers as (
    select
        identifier_value as crm_account_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'crm_account_id'
),

person_identifiers as (
    select
        identifier_value as email,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type = 'email'
),

person_companies as (
    select
        person_key,
        company_key,
        resolved_by,
        valid_from,
        valid_to
    from {{ ref('int_person_company_windows') }}
),

company_timezones as (
    select
        company_key,
        timezone,
        is_first,
        valid_from,
        valid_to
    from {{ ref('int_company_timezones') }}
),

with_person as (
    select
        tickets.*,
        person_identifiers.person_key
    from tickets
    left join person_identifiers
        on tickets.requester_email_normalized = person_identifiers.email
),

-- the organization the help desk names (a CRM account Id), else the
-- requester's company when the ticket was opened: the membership then, or
-- before the first membership that membership's company (the same rule
-- as events: int_person_company_windows)
with_company as (
    select
        with_person.*,
        coalesce(named_companies.company_key, person_companies.company_key) as company_key,
        case
            when named_companies.company_key is not null then 'organization_id'
            else person_companies.resolved_by
        end as company_resolved_by
    from with_person
    left join company_identifiers as named_companies
        on with_person.organization_id = named_companies.crm_account_id
    left join person_companies
        on with_person.person_key = person_companies.person_key
        and {{ person_company_at('person_companies', 'with_person.created_at') }}
),

-- the company's zone when the ticket was opened; all of the ticket's
-- local times use it, so created and solved read on one clock
with_local_time as (
    select
        with_company.*,
        coalesce(company_timezones.timezone, 'UTC') as zone_at_event
    from with_company
    left join company_timezones
        on with_company.company_key = company_timezones.company_key
        and {{ company_timezone_at('company_timezones', 'with_company.created_at') }}
),

final as (
    select
        -- keys
        cast(ticket_id as varchar) as ticket_id,
        cast(company_key as varchar) as company_key,
        cast(person_key as varchar) as person_key,
        -- strings
        cast(organization_id as varchar) as organization_id,
        cast(company_resolved_by as varchar) as company_resolved_by,
        status,
        priority,
        channel,
        satisfaction_rating,
        cast(zone_at_event as varchar) as local_timezone,
        -- numerics
        -- dbt.datediff expands to one long line
        -- noqa: disable=LT05
        cast(
            {{ dbt.datediff('created_at', 'solved_at', 'second') }} / 3600.0 as double
        ) as hours_to_solve,
        -- noqa: enable=LT05
        -- booleans
        solved_at is not null as is_solved,
        -- dates
        cast({{ utc_to_local('created_at', 'zone_at_event') }} as date) as created_local_date,
        cast({{ utc_to_local('solved_at', 'zone_at_event') }} as date) as solved_local_date,
        -- timestamps (UTC)
        created_at,
        updated_at,
        solved_at,
        -- timestamps (local wall clock)
        {{ utc_to_local('created_at', 'zone_at_event') }} as created_at_local,
        {{ utc_to_local('solved_at', 'zone_at_event') }} as solved_at_local
    from with_local_time
)

select * from final
