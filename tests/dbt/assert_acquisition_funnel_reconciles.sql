{#-
    Fails with every attribution model of rpt_acquisition_funnel whose
    totals differ from the population it credits (doc block
    `acquisition_rules`): each model counts every sign-up, activated
    person, visitor (anonymous id with a campaign touch) and paying
    company exactly once, and the same MRR now.
-#}
with

totals as (
    select
        attribution_model,
        sum(sign_ups) as sign_ups,
        sum(activated_people) as activated_people,
        sum(visitors) as visitors,
        sum(paying_companies) as paying_companies,
        sum(mrr_now_reporting) as mrr_now_reporting
    from {{ ref('rpt_acquisition_funnel') }}
    group by attribution_model
),

people as (
    select
        count(touches.signed_up_at) as sign_ups,
        count(journeys.activated_date) as activated_people
    from {{ ref('int_person_touches') }} as touches
    left join {{ ref('fct_person_journey') }} as journeys
        on touches.person_key = journeys.person_key
),

visitors as (
    select count(distinct anonymous_id) as visitors
    from {{ ref('fct_campaign_touches') }}
),

paying as (
    select
        count(*) as paying_companies,
        sum(coalesce(companies.mrr_reporting, 0)) as mrr_now_reporting
    from {{ ref('int_company_first_touches') }} as first_touches
    inner join {{ ref('customer_360') }} as companies
        on first_touches.company_key = companies.company_key
    where companies.first_mrr_date is not null
),

expected as (
    select
        people.sign_ups,
        people.activated_people,
        visitors.visitors,
        paying.paying_companies,
        coalesce(paying.mrr_now_reporting, 0) as mrr_now_reporting
    from people
    cross join visitors
    cross join paying
),

models as (
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
),

differences as (
    select
        models.attribution_model,
        totals.sign_ups,
        expected.sign_ups as expected_sign_ups,
        totals.activated_people,
        expected.activated_people as expected_activated_people,
        totals.visitors,
        expected.visitors as expected_visitors,
        totals.paying_companies,
        expected.paying_companies as expected_paying_companies,
        totals.mrr_now_reporting,
        expected.mrr_now_reporting as expected_mrr_now_reporting
    from models
    cross join expected
    left join totals on models.attribution_model = totals.attribution_model
    where coalesce(totals.sign_ups, 0) <> expected.sign_ups
        or coalesce(totals.activated_people, 0) <> expected.activated_people
        or coalesce(totals.visitors, 0) <> expected.visitors
        or coalesce(totals.paying_companies, 0) <> expected.paying_companies
        or coalesce(totals.mrr_now_reporting, 0) <> expected.mrr_now_reporting
)

select * from differences
