{#-
    One row per attribution model (first_touch, last_touch), channel,
    campaign and cohort month: visitors, sign-ups, activated people, the
    companies they brought that became paying, their MRR now and their
    retention 1, 3 and 6 months after their first paid month. first_touch
    credits a person's first campaign touch (anonymous ones included once
    linked); last_touch their last touch at or before sign-up
    (int_person_touches), for a person who never signed up their latest
    touch; channel `direct` and campaign `(none)` without one. A company
    counts where its first person does. The cohort month is the sign-up
    month (the first touch's month for people and devices that never
    signed up), the same in both models. Visitors are distinct anonymous
    ids with a campaign touch: a linked one counts in its person's cell, an
    unlinked one in its own first (or last) touch's. Each model's rows add
    up to the same totals. Rules: doc block `acquisition_rules`.
-#}
with

attribution_models as (
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
),

person_touches as (
    select
        person_key,
        first_touch_channel,
        first_touch_campaign,
        last_touch_channel,
        last_touch_campaign,
        signed_up_at,
        first_touch_at
    from {{ ref('int_person_touches') }}
),

campaign_touches as (
    select
        message_id,
        anonymous_id,
        person_key,
        channel,
        coalesce(campaign_name, '(none)') as campaign_name,
        occurred_at
    from {{ ref('fct_campaign_touches') }}
),

-- the latest touch of a person who never signed up (their last touch so far)
latest_touches as (
    select
        person_key,
        channel,
        campaign_name
    from campaign_touches
    where person_key is not null
    qualify row_number() over (
            partition by person_key
            order by occurred_at desc, message_id desc
        ) = 1
),

person_cells as (
    select
        attribution_models.attribution_model,
        person_touches.person_key,
        case
            when attribution_models.attribution_model = 'first_touch'
                then coalesce(person_touches.first_touch_channel, 'direct')
            when person_touches.signed_up_at is not null
                then coalesce(person_touches.last_touch_channel, 'direct')
            else coalesce(latest_touches.channel, 'direct')
        end as channel,
        case
            when attribution_models.attribution_model = 'first_touch'
                then coalesce(person_touches.first_touch_campaign, '(none)')
            when person_touches.signed_up_at is not null
                then coalesce(person_touches.last_touch_campaign, '(none)')
            else coalesce(latest_touches.campaign_name, '(none)')
        end as campaign_name,
        cast(
            {{ dbt.date_trunc(
                'month', 'coalesce(person_touches.signed_up_at, person_touches.first_touch_at)'
            ) }} as date
        ) as cohort_month,
        person_touches.signed_up_at is not null as is_signed_up
    from person_touches
    cross join attribution_models
    left join latest_touches on person_touches.person_key = latest_touches.person_key
),

device_touches as (
    select
        message_id,
        anonymous_id,
        person_key,
        channel,
        campaign_name,
        occurred_at
    from campaign_touches
    where anonymous_id is not null
),

device_people as (
    select
        anonymous_id,
        max(person_key) as person_key
    from device_touches
    group by anonymous_id
),

-- a device's own first and last touch (for a device of no person); its
-- cohort month is its first touch's in both models
device_ranked_touches as (
    select
        anonymous_id,
        channel,
        campaign_name,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, message_id
        ) as first_rank,
        row_number() over (
            partition by anonymous_id
            order by occurred_at desc, message_id desc
        ) as last_rank
    from device_touches
),

device_own_cells as (
    select
        attribution_models.attribution_model,
        device_ranked_touches.anonymous_id,
        device_ranked_touches.channel,
        device_ranked_touches.campaign_name
    from device_ranked_touches
    inner join attribution_models
        on (
            attribution_models.attribution_model = 'first_touch'
            and device_ranked_touches.first_rank = 1
        )
        or (
            attribution_models.attribution_model = 'last_touch'
            and device_ranked_touches.last_rank = 1
        )
),

device_cohorts as (
    select
        anonymous_id,
        cast({{ dbt.date_trunc('month', 'occurred_at') }} as date) as cohort_month
    from device_ranked_touches
    where first_rank = 1
),

device_cells as (
    select
        device_own_cells.attribution_model,
        device_people.anonymous_id,
        coalesce(person_cells.channel, device_own_cells.channel) as channel,
        coalesce(person_cells.campaign_name, device_own_cells.campaign_name)
            as campaign_name,
        coalesce(person_cells.cohort_month, device_cohorts.cohort_month) as cohort_month
    from device_people
    inner join device_own_cells
        on device_people.anonymous_id = device_own_cells.anonymous_id
    inner join device_cohorts
        on device_people.anonymous_id = device_cohorts.anonymous_id
    left join person_cells
        on device_people.person_key = person_cells.person_key
        and device_own_cells.attribution_model = person_cells.attribution_model
),

journeys as (
    select
        person_key,
        activated_date
    from {{ ref('fct_person_journey') }}
),

company_touches as (
    select
        company_key,
        first_touch_person_key
    from {{ ref('int_company_first_touches') }}
),

companies as (
    select
        company_key,
        mrr_reporting,
        first_mrr_date
    from {{ ref('customer_360') }}
),

months as (
    select
        company_key,
        month
    from {{ ref('fct_mrr_monthly') }}
    where mrr > 0
),

latest_month as (
    select max(month) as latest_month from {{ ref('fct_mrr_monthly') }}
),

paying_companies as (
    select
        person_cells.attribution_model,
        person_cells.channel,
        person_cells.campaign_name,
        person_cells.cohort_month,
        companies.company_key,
        companies.mrr_reporting,
        cast({{ dbt.date_trunc('month', 'companies.first_mrr_date') }} as date) as first_month
    from company_touches
    inner join person_cells on company_touches.first_touch_person_key = person_cells.person_key
    inner join companies on company_touches.company_key = companies.company_key
    where companies.first_mrr_date is not null
),

{%- set horizons = [1, 3, 6] %}
-- the Jinja loop's commas defeat the indentation rule
-- noqa: disable=LT02
retention as (
    select
        paying_companies.company_key,
    {%- for k in horizons %}
        max(
            case
                when {{ dbt.dateadd('month', k, 'paying_companies.first_month') }}
                    <= latest_month.latest_month then 1
                else 0
            end
        ) as measured_{{ k }}m,
        max(
            case
                when months.month = {{ dbt.dateadd('month', k, 'paying_companies.first_month') }}
                    then 1
                else 0
            end
        ) as retained_{{ k }}m{{ ',' if not loop.last }}
        {%- endfor %}
    from paying_companies
    cross join latest_month
    left join months on paying_companies.company_key = months.company_key
    group by paying_companies.company_key
),
-- noqa: enable=LT02

cells as (
    select
        attribution_model,
        channel,
        campaign_name,
        cohort_month
    from person_cells
    union
    select
        attribution_model,
        channel,
        campaign_name,
        cohort_month
    from device_cells
),

visitors as (
    select
        attribution_model,
        channel,
        campaign_name,
        cohort_month,
        count(distinct anonymous_id) as visitors
    from device_cells
    group by attribution_model, channel, campaign_name, cohort_month
),

people as (
    select
        person_cells.attribution_model,
        person_cells.channel,
        person_cells.campaign_name,
        person_cells.cohort_month,
        sum(case when person_cells.is_signed_up then 1 else 0 end) as sign_ups,
        sum(case when journeys.activated_date is not null then 1 else 0 end) as activated_people
    from person_cells
    left join journeys on person_cells.person_key = journeys.person_key
    group by
        person_cells.attribution_model,
        person_cells.channel,
        person_cells.campaign_name,
        person_cells.cohort_month
),

paying as (
    select
        paying_companies.attribution_model,
        paying_companies.channel,
        paying_companies.campaign_name,
        paying_companies.cohort_month,
        count(*) as paying_companies,
        sum(coalesce(paying_companies.mrr_reporting, 0)) as mrr_now_reporting,
    {%- for k in horizons %}
        sum(retention.measured_{{ k }}m) as companies_measured_{{ k }}m,
        sum(retention.measured_{{ k }}m * retention.retained_{{ k }}m)
            as companies_retained_{{ k }}m
        {{- ',' if not loop.last }}
    {%- endfor %}
    from paying_companies
    inner join retention on paying_companies.company_key = retention.company_key
    group by
        paying_companies.attribution_model,
        paying_companies.channel,
        paying_companies.campaign_name,
        paying_companies.cohort_month
),

final as (
    select
        -- strings
        cast(cells.attribution_model as varchar) as attribution_model,
        cast(cells.channel as varchar) as channel,
        cast(cells.campaign_name as varchar) as campaign_name,
        cast({{ reporting_currency() }} as varchar) as reporting_currency,
        -- numerics
        cast(coalesce(visitors.visitors, 0) as bigint) as visitors,
        cast(coalesce(people.sign_ups, 0) as bigint) as sign_ups,
        cast(coalesce(people.activated_people, 0) as bigint) as activated_people,
        cast(coalesce(paying.paying_companies, 0) as bigint) as paying_companies,
        cast(coalesce(paying.mrr_now_reporting, 0) as decimal(18, 4)) as mrr_now_reporting,
        {%- for k in horizons %}
            cast(coalesce(paying.companies_measured_{{ k }}m, 0) as bigint)
                as companies_measured_{{ k }}m,
            cast(coalesce(paying.companies_retained_{{ k }}m, 0) as bigint)
                as companies_retained_{{ k }}m,
            cast(
                1.0
                * paying.companies_retained_{{ k }}m
                / nullif(paying.companies_measured_{{ k }}m, 0)
                as double
            ) as retention_{{ k }}m,
        {%- endfor %}
        -- dates
        cast(cells.cohort_month as date) as cohort_month
    from cells
    left join visitors
        on cells.attribution_model = visitors.attribution_model
        and cells.channel = visitors.channel
        and cells.campaign_name = visitors.campaign_name
        and cells.cohort_month = visitors.cohort_month
    left join people
        on cells.attribution_model = people.attribution_model
        and cells.channel = people.channel
        and cells.campaign_name = people.campaign_name
        and cells.cohort_month = people.cohort_month
    left join paying
        on cells.attribution_model = paying.attribution_model
        and cells.channel = paying.channel
        and cells.campaign_name = paying.campaign_name
        and cells.cohort_month = paying.cohort_month
)

select * from final
