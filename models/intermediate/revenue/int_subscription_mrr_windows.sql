{#-
    One row per subscription and window [valid_from, valid_to) of constant
    MRR above zero in one currency; valid_to null while the latest extract
    still shows it. Cut from the subscription's observations
    (int_subscription_observations) where its counted MRR or currency
    changes; each boundary is dated by Stripe's own time where one falls
    between the two extracts (trial_end, current_period_start, ended_at,
    canceled_at), else by the extract that first shows the change
    (`*_basis` says which). Rules: doc block `mrr_rules`.
-#}
with

observations as (
    select
        subscription_id,
        customer_id,
        status,
        currency,
        mrr,
        items_mrr,
        observation_number,
        extract_date,
        extracted_at,
        created_at,
        started_at,
        current_period_start_at,
        canceled_at,
        ended_at,
        trial_end_at
    from {{ ref('int_subscription_observations') }}
),

identifiers as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

-- the state that counts: its MRR in its currency (no currency without MRR)
states as (
    select
        *,
        case when mrr > 0 then currency end as mrr_currency,
        lag(case when mrr > 0 then currency end) over (
            partition by subscription_id order by observation_number
        ) as previous_mrr_currency,
        lag(mrr) over (
            partition by subscription_id order by observation_number
        ) as previous_mrr,
        lag(status) over (
            partition by subscription_id order by observation_number
        ) as previous_status,
        lag(extracted_at) over (
            partition by subscription_id order by observation_number
        ) as previous_extracted_at,
        lag(current_period_start_at) over (
            partition by subscription_id order by observation_number
        ) as previous_period_start_at
    from observations
),

-- the first observation and every one whose counted state differs
changes as (
    select
        *,
        coalesce(started_at, created_at) as start_at
    from states
    where observation_number = 1
        or mrr <> previous_mrr
        or mrr_currency is distinct from previous_mrr_currency
),

-- which rule dates each change
based as (
    select
        *,
        case
            -- first sighting: since Stripe's start (the trial's end if it
            -- converted), never later than the extract that shows it
            when observation_number = 1 and mrr > 0 and trial_end_at > start_at
                and trial_end_at <= extracted_at
                then 'trial_end'
            when observation_number = 1 and mrr > 0 and start_at <= extracted_at
                then 'start_date'
            when observation_number = 1 then 'extract'
            -- a later change: a Stripe time between the two extracts
            when mrr = 0 and ended_at > previous_extracted_at and ended_at <= extracted_at
                then 'ended_at'
            when mrr = 0 and canceled_at > previous_extracted_at and canceled_at <= extracted_at
                then 'canceled_at'
            when previous_status = 'trialing' and trial_end_at > previous_extracted_at
                and trial_end_at <= extracted_at
                then 'trial_end'
            when (current_period_start_at is distinct from previous_period_start_at)
                and current_period_start_at > previous_extracted_at
                and current_period_start_at <= extracted_at
                then 'current_period_start'
            else 'extract'
        end as effective_basis
    from changes
),

-- when each change took effect: the time its rule names
dated as (
    select
        subscription_id,
        customer_id,
        status,
        mrr,
        mrr_currency,
        extract_date,
        case effective_basis
            when 'trial_end' then trial_end_at
            when 'start_date' then start_at
            when 'ended_at' then ended_at
            when 'canceled_at' then canceled_at
            when 'current_period_start' then current_period_start_at
            else extracted_at
        end as effective_at,
        effective_basis
    from based
),

bounded as (
    select
        *,
        lead(effective_at) over (
            partition by subscription_id order by effective_at, extract_date
        ) as next_effective_at,
        lead(effective_basis) over (
            partition by subscription_id order by effective_at, extract_date
        ) as next_effective_basis
    from dated
),

live_windows as (
    select
        subscription_id,
        customer_id,
        status,
        mrr_currency as currency,
        mrr,
        extract_date as first_extract_date,
        effective_at as valid_from,
        effective_basis as valid_from_basis,
        next_effective_at as valid_to,
        next_effective_basis as valid_to_basis
    from bounded
    where mrr > 0
),

-- a subscription already canceled when first extracted counted its items
-- from Stripe's start (or the trial's end) to ended_at
ended_before_first_sighting as (
    select
        subscription_id,
        customer_id,
        status,
        currency,
        items_mrr as mrr,
        extract_date as first_extract_date,
        case
            when trial_end_at > coalesce(started_at, created_at) then trial_end_at
            else coalesce(started_at, created_at)
        end as valid_from,
        case
            when trial_end_at > coalesce(started_at, created_at) then 'trial_end'
            else 'start_date'
        end as valid_from_basis,
        ended_at as valid_to,
        'ended_at' as valid_to_basis
    from observations
    where observation_number = 1
        and status = 'canceled'
        and items_mrr > 0
        and ended_at <= extracted_at
        and coalesce(started_at, created_at) < ended_at
        and (trial_end_at is null or trial_end_at < ended_at)
),

windows as (
    select * from live_windows
    union all
    select * from ended_before_first_sighting
),

final as (
    select
        -- keys
        identifiers.company_key,
        windows.subscription_id,
        windows.customer_id,
        -- strings
        windows.currency,
        windows.status,
        windows.valid_from_basis,
        windows.valid_to_basis,
        -- numerics
        cast(windows.mrr as decimal(18, 4)) as mrr,
        -- dates
        windows.first_extract_date,
        -- timestamps (UTC)
        windows.valid_from,
        windows.valid_to
    from windows
    left join identifiers on windows.customer_id = identifiers.customer_id
    where windows.valid_to is null or windows.valid_to > windows.valid_from
)

select * from final
