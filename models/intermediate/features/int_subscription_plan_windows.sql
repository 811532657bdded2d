{#-
    One row per subscription, plan and window [valid_from, valid_to) in which
    the subscription entitled its customer to the plan: a status in
    var('feature_entitled_subscription_statuses') and an item whose price's
    product has that plan. Built from the daily full extracts; how each
    boundary is dated is in the feature_access doc (exact Stripe times where
    they fall in the window between two extracts, else the extract bound that
    gives the customer the benefit of the doubt).
-#}
{%- set entitled_statuses = var('feature_entitled_subscription_statuses') %}
with

-- each subscription's observations in extract order, with the instant each
-- one describes (an `absent` one after a hard delete entitles to nothing)
timeline as (
    select
        subscription_id,
        customer_id,
        status,
        extract_date,
        extracted_at,
        created_at,
        started_at,
        current_period_start_at,
        ended_at,
        observation_number,
        status in (
            {%- for status in entitled_statuses %}
                '{{ status }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_entitled
    from {{ ref('int_subscription_observations') }}
),

item_plans as (
    select distinct
        subscription_id,
        extract_date,
        plan
    from {{ ref('int_subscription_item_plans') }}
    where plan is not null
),

identifiers as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

entitled_plans as (
    select
        timeline.subscription_id,
        item_plans.plan,
        timeline.observation_number
    from timeline
    inner join item_plans
        on timeline.subscription_id = item_plans.subscription_id
        and timeline.extract_date = item_plans.extract_date
    where timeline.is_entitled
),

-- consecutive observations entitled to the same plan form one island
islands as (
    select
        subscription_id,
        plan,
        min(observation_number) as first_observation_number,
        max(observation_number) as last_observation_number
    from (
        select
            *,
            observation_number - row_number() over (
                partition by subscription_id, plan
                order by observation_number
            ) as island_number
        from entitled_plans
    ) as numbered
    group by subscription_id, plan, island_number
),

bounded as (
    select
        islands.subscription_id,
        islands.plan,
        last_seen.customer_id,
        first_seen.extract_date as first_extract_date,
        last_seen.extract_date as last_extract_date,
        -- start: Stripe's start_date on the first sighting; a new period
        -- that began between the two extracts; else right after the last
        -- extract without the plan (the earliest instant the extracts allow)
        case
            when before_first.subscription_id is null
                then least(
                        coalesce(
                            first_seen.started_at, first_seen.created_at, first_seen.extracted_at
                        ),
                        first_seen.extracted_at
                    )
            when first_seen.current_period_start_at > before_first.extracted_at
                and first_seen.current_period_start_at <= first_seen.extracted_at
                and (
                    first_seen.current_period_start_at
                    is distinct from before_first.current_period_start_at
                )
                then first_seen.current_period_start_at
            else before_first.extracted_at
        end as valid_from,
        case
            when before_first.subscription_id is null
                then case
                        when coalesce(first_seen.started_at, first_seen.created_at) is not null
                            then 'start_date'
                        else 'extract'
                    end
            when first_seen.current_period_start_at > before_first.extracted_at
                and first_seen.current_period_start_at <= first_seen.extracted_at
                and (
                    first_seen.current_period_start_at
                    is distinct from before_first.current_period_start_at
                )
                then 'current_period_start'
            else 'extract'
        end as valid_from_basis,
        -- end: Stripe's ended_at when the subscription ended; a new period
        -- that began between the two extracts; else the first extract
        -- without the plan (the latest instant the extracts allow);
        -- null while the latest extract still shows it
        last_seen.extracted_at as last_seen_at,
        after_last.subscription_id is not null as has_ended,
        after_last.is_entitled as is_entitled_after,
        after_last.ended_at as ended_at_after,
        after_last.current_period_start_at as period_start_after,
        last_seen.current_period_start_at as period_start_last,
        after_last.extracted_at as next_seen_at
    from islands
    inner join timeline as first_seen
        on islands.subscription_id = first_seen.subscription_id
        and islands.first_observation_number = first_seen.observation_number
    inner join timeline as last_seen
        on islands.subscription_id = last_seen.subscription_id
        and islands.last_observation_number = last_seen.observation_number
    left join timeline as before_first
        on islands.subscription_id = before_first.subscription_id
        and islands.first_observation_number - 1 = before_first.observation_number
    left join timeline as after_last
        on islands.subscription_id = after_last.subscription_id
        and islands.last_observation_number + 1 = after_last.observation_number
),

ended as (
    select
        *,
        case
            when not has_ended then null
            when not is_entitled_after
                and ended_at_after > valid_from
                and ended_at_after <= next_seen_at
                then ended_at_after
            when period_start_after > last_seen_at
                and period_start_after <= next_seen_at
                and (period_start_after is distinct from period_start_last)
                then period_start_after
            else next_seen_at
        end as valid_to,
        case
            when not has_ended then null
            when not is_entitled_after
                and ended_at_after > valid_from
                and ended_at_after <= next_seen_at
                then 'ended_at'
            when period_start_after > last_seen_at
                and period_start_after <= next_seen_at
                and (period_start_after is distinct from period_start_last)
                then 'current_period_start'
            else 'extract'
        end as valid_to_basis
    from bounded
),

-- a subscription that had already ended when first extracted: Stripe's
-- start_date and ended_at bound it exactly (with the plan of its items, as
-- for a live subscription's first sighting)
ended_before_first_sighting as (
    select
        timeline.subscription_id,
        item_plans.plan,
        timeline.customer_id,
        timeline.extract_date as first_extract_date,
        cast(null as date) as last_extract_date,
        coalesce(timeline.started_at, timeline.created_at) as valid_from,
        'start_date' as valid_from_basis,
        timeline.ended_at as valid_to,
        'ended_at' as valid_to_basis
    from timeline
    inner join item_plans
        on timeline.subscription_id = item_plans.subscription_id
        and timeline.extract_date = item_plans.extract_date
    where timeline.observation_number = 1
        and not timeline.is_entitled
        and timeline.ended_at <= timeline.extracted_at
        and coalesce(timeline.started_at, timeline.created_at) < timeline.ended_at
),

windows as (
    select
        subscription_id,
        plan,
        customer_id,
        first_extract_date,
        last_extract_date,
        valid_from,
        valid_from_basis,
        valid_to,
        valid_to_basis
    from ended
    union all
    select
        subscription_id,
        plan,
        customer_id,
        first_extract_date,
        last_extract_date,
        valid_from,
        valid_from_basis,
        valid_to,
        valid_to_basis
    from ended_before_first_sighting
),

final as (
    select
        -- keys
        identifiers.company_key,
        windows.subscription_id,
        windows.customer_id,
        -- strings
        windows.plan,
        windows.valid_from_basis,
        windows.valid_to_basis,
        -- dates
        windows.first_extract_date,
        windows.last_extract_date,
        -- timestamps (UTC)
        windows.valid_from,
        windows.valid_to
    from windows
    left join identifiers on windows.customer_id = identifiers.customer_id
)

select * from final
