{#-
    One row per NPS response: the respondent (by user_id, else by e-mail),
    the company by the same person -> company rule as events and tickets
    (doc block `person_company_attribution`) as of submission, and the
    submission time on the company's clock as of then (UTC without a
    company). The ground for an NPS mart.
-#}
with

responses as (
    select
        response_id,
        survey_id,
        user_id,
        email_normalized,
        comment,
        score,
        submitted_at
    from {{ ref('stg_support__nps_responses') }}
),

person_identifiers as (
    select
        identifier_type,
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type in ('user_id', 'email')
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
        responses.*,
        coalesce(users.person_key, emails.person_key) as person_key,
        case
            when users.person_key is not null then 'user_id'
            when emails.person_key is not null then 'email'
        end as person_resolved_by
    from responses
    left join person_identifiers as users
        on users.identifier_type = 'user_id'
        and responses.user_id = users.identifier_value
    left join person_identifiers as emails
        on emails.identifier_type = 'email'
        and responses.email_normalized = emails.identifier_value
),

with_company as (
    select
        with_person.*,
        person_companies.company_key,
        person_companies.resolved_by as company_resolved_by
    from with_person
    left join person_companies
        on with_person.person_key = person_companies.person_key
        and {{ person_company_at('person_companies', 'with_person.submitted_at') }}
),

with_local_time as (
    select
        with_company.*,
        coalesce(company_timezones.timezone, 'UTC') as zone_at_response
    from with_company
    left join company_timezones
        on with_company.company_key = company_timezones.company_key
        and {{ company_timezone_at('company_timezones', 'with_company.submitted_at') }}
),

final as (
    select
        -- keys
        cast(response_id as varchar) as response_id,
        cast(person_key as varchar) as person_key,
        cast(company_key as varchar) as company_key,
        -- ids
        survey_id,
        user_id,
        -- strings
        cast(person_resolved_by as varchar) as person_resolved_by,
        cast(company_resolved_by as varchar) as company_resolved_by,
        email_normalized,
        comment,
        cast(zone_at_response as varchar) as local_timezone,
        -- numerics
        score,
        -- dates
        cast({{ utc_to_local('submitted_at', 'zone_at_response') }} as date) as local_date,
        -- timestamps (UTC)
        submitted_at,
        -- timestamps (local wall clock)
        {{ utc_to_local('submitted_at', 'zone_at_response') }} as submitted_at_local
    from with_local_time
)

select * from final
