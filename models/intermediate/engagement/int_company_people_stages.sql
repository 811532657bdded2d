{#-
    One row per company with at least one current member: its people by
    current journey stage (int_person_journeys). A person counts for the
    company of their open membership (int_person_company_memberships, as
    dim_people.company_key); a person with none counts nowhere, and people
    without a stage yet count in no column. A company absent here has no
    current members: read its counts as 0. Full rebuild.
-#}
with

journeys as (
    select
        person_key,
        company_key,
        current_stage
    from {{ ref('int_person_journeys') }}
    where company_key is not null
),

counted as (
    select
        company_key,
        sum(case when current_stage = 'signed_up' then 1 else 0 end) as people_signed_up,
        sum(case when current_stage = 'activated' then 1 else 0 end) as people_activated,
        sum(case when current_stage = 'engaged' then 1 else 0 end) as people_engaged,
        sum(case when current_stage = 'power_user' then 1 else 0 end) as people_power_user,
        sum(case when current_stage = 'dormant' then 1 else 0 end) as people_dormant
    from journeys
    group by company_key
),

final as (
    select
        -- keys
        cast(company_key as varchar) as company_key,
        -- numerics
        cast(people_signed_up as bigint) as people_signed_up,
        cast(people_activated as bigint) as people_activated,
        cast(people_engaged as bigint) as people_engaged,
        cast(people_power_user as bigint) as people_power_user,
        cast(people_dormant as bigint) as people_dormant
    from counted
)

select * from final
