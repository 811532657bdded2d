{#-
    One row per company with a first person (the earliest membership in
    int_person_company_memberships; ties: person key, the rule
    customer_360 uses): that person's first campaign touch, the company's
    first touch (beside the CRM's AccountSource in customer_360).
-#}
with

first_people as (
    select
        company_key,
        person_key
    from {{ ref('int_person_company_memberships') }}
    qualify row_number() over (
            partition by company_key
            order by valid_from, person_key
        ) = 1
),

touches as (
    select
        person_key,
        first_touch_channel,
        first_touch_source,
        first_touch_medium,
        first_touch_campaign,
        first_touch_at
    from {{ ref('int_person_touches') }}
),

final as (
    select
        -- keys
        cast(first_people.company_key as varchar) as company_key,
        cast(first_people.person_key as varchar) as first_touch_person_key,
        -- strings
        touches.first_touch_channel,
        touches.first_touch_source,
        touches.first_touch_medium,
        touches.first_touch_campaign,
        -- timestamps (UTC)
        touches.first_touch_at
    from first_people
    left join touches on first_people.person_key = touches.person_key
)

select * from final
