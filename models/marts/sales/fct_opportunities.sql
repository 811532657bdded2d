{#-
    One row per CRM opportunity (deleted ones flagged): its company and the
    account's sales rep, stage (with the seed's order and probability),
    type, amount in its currency and the reporting currency, created and
    close dates, won or lost, and the days it spent in each stage. What is
    the open pipeline by stage? What is expected to close this quarter?
    How long do deals sit in Negotiation? Rules: doc block `pipeline_rules`.
-#}
with

opportunities as (
    select
        opportunity_id,
        account_id,
        opportunity_name,
        trim(stage_name) as stage_name,
        opportunity_type,
        lower(trim(currency_code)) as currency,
        amount,
        is_closed,
        is_won,
        coalesce(is_deleted, false) or coalesce(is_hard_deleted, false) as is_deleted,
        close_date,
        created_at
    from {{ ref('stg_crm__opportunities') }}
),

stages as (
    select
        stage_key,
        stage_order,
        probability
    from {{ ref('stg_seeds__opportunity_stages') }}
),

visits as (
    select
        opportunity_id,
        stage_name,
        visit_number,
        entered_at,
        left_at
    from {{ ref('int_opportunity_stage_visits') }}
),

companies as (
    select
        identifier_value as account_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'crm_account_id'
),

reps as (
    select
        companies.company_key,
        accounts.owner_user_id,
        users.user_name as owner_name
    from {{ ref('stg_crm__accounts') }} as accounts
    inner join companies on accounts.account_id = companies.account_id
    left join {{ ref('stg_crm__users') }} as users on accounts.owner_user_id = users.user_id
),

rates as (
    select
        month,
        currency,
        fx_rate
    from {{ ref('int_fx_rates_monthly') }}
),

-- "today" for open opportunities: the latest CRM extract of opportunities
as_of as (
    select max(extract_date) as as_of_date
    from {{ ref('stg_crm__opportunities') }}
),

stage_days as (
    select
        visits.opportunity_id,
        {{ dbt.listagg(
            "visits.stage_name || ': ' || cast(" ~ dbt.datediff(
                'visits.entered_at',
                "coalesce(visits.left_at, cast(" ~ dbt.dateadd('day', 1, 'as_of.as_of_date') ~ " as timestamp))",
                'day'
            ) ~ " as varchar)",
            "'; '",
            'order by visits.visit_number'
        ) }} as stage_days,
        count(*) as stage_visit_count,
        max(case when visits.left_at is null then visits.entered_at end) as stage_entered_at
    from visits
    cross join as_of
    group by visits.opportunity_id
),

joined as (
    select
        opportunities.*,
        companies.company_key,
        reps.owner_user_id,
        reps.owner_name,
        stages.stage_order,
        stages.probability,
        stage_days.stage_days,
        stage_days.stage_visit_count,
        stage_days.stage_entered_at,
        as_of.as_of_date,
        -- the month whose rate converts it: the close month once closed,
        -- else the month of the latest extract
        cast(
            {{ dbt.date_trunc(
                'month',
                'case when opportunities.is_closed then opportunities.close_date else as_of.as_of_date end'
            ) }} as date
        ) as fx_month
    from opportunities
    cross join as_of
    left join companies on opportunities.account_id = companies.account_id
    left join reps on companies.company_key = reps.company_key
    left join stages on lower(opportunities.stage_name) = stages.stage_key
    left join stage_days on opportunities.opportunity_id = stage_days.opportunity_id
),

converted as (
    select
        joined.*,
        rates.fx_rate
    from joined
    left join rates
        on joined.currency = rates.currency
        and joined.fx_month = rates.month
),

final as (
    select
        -- keys
        opportunity_id,
        company_key,
        account_id as crm_account_id,
        owner_user_id,
        -- strings
        opportunity_name,
        stage_name,
        opportunity_type,
        currency,
        cast({{ reporting_currency() }} as varchar) as reporting_currency,
        owner_name,
        stage_days,
        -- numerics
        cast(amount as decimal(18, 2)) as amount,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        {{ convert_amount('amount', 'fx_rate') }} as amount_reporting,
        cast(stage_order as integer) as stage_order,
        cast(probability as decimal(5, 4)) as probability,
        cast(
            case when not is_closed then cast(amount as decimal(38, 10)) * probability end
            as decimal(18, 4)
        ) as expected_amount,
        case
            when not is_closed
                then {{ convert_amount('amount * probability', 'fx_rate') }}
        end
            as expected_amount_reporting,
        cast(stage_visit_count as bigint) as stage_visit_count,
        cast(
            {{ dbt.datediff(
                'stage_entered_at',
                "cast(" ~ dbt.dateadd('day', 1, 'as_of_date') ~ " as timestamp)",
                'day'
            ) }} as bigint
        ) as days_in_current_stage,
        cast(
            {{ dbt.datediff(
                'cast(created_at as date)',
                'case when is_closed then close_date else as_of_date end',
                'day'
            ) }} as bigint
        ) as days_open,
        -- booleans
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        coalesce(is_closed and not is_won, false) as is_lost,
        is_deleted,
        -- dates
        cast(created_at as date) as created_date,
        close_date,
        fx_month,
        as_of_date,
        -- timestamps (UTC)
        created_at,
        stage_entered_at
    from converted
)

select * from final
