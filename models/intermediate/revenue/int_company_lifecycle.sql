{#-
    One row per company (surviving key): where it stands as a customer as
    of the latest billing extract (lifecycle_stage, doc block
    `company_lifecycle`), today's MRR and its band (seed company_size_bands,
    measure `mrr`, in the reporting currency; no band without MRR), and its
    first and last day with MRR. customer_360, the freshness rules and the
    exports take the stage from here: one rule, one place.
-#}
{%- set churned_days = var('lifecycle_churned_days') | int %}
with

companies as (
    select distinct company_key
    from {{ ref('int_company_identifiers') }}
),

billing_ids as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

account_type_changes as (
    select
        company_key,
        new_value as account_type,
        changed_at
    from {{ ref('int_company_attribute_changes') }}
    where attribute = 'account_type'
),

observations as (
    select
        customer_id,
        status,
        extract_date
    from {{ ref('int_subscription_observations') }}
),

mrr_daily as (
    select
        company_key,
        currency,
        reporting_currency,
        mrr,
        mrr_reporting,
        mrr_date
    from {{ ref('int_company_mrr_daily') }}
),

mrr_bands as (
    select
        band_code,
        lower_bound,
        upper_bound
    from {{ ref('stg_seeds__company_size_bands') }}
    where measure = 'mrr'
),

billing_latest as (
    select
        max(extract_date) as latest_extract_date,
        {{ dbt.dateadd('day', -churned_days, 'max(extract_date)') }} as churned_since
    from observations
),

latest_account_type_at as (
    select
        company_key,
        max(changed_at) as changed_at
    from account_type_changes
    group by company_key
),

account_types as (
    select
        account_type_changes.company_key,
        account_type_changes.account_type
    from account_type_changes
    inner join latest_account_type_at
        on account_type_changes.company_key = latest_account_type_at.company_key
        and account_type_changes.changed_at = latest_account_type_at.changed_at
),

mrr_today as (
    select
        company_key,
        count(*) as currency_count,
        max(currency) as currency,
        max(reporting_currency) as reporting_currency,
        sum(mrr) as mrr,
        sum(mrr_reporting) as mrr_reporting,
        count(*) - count(mrr_reporting) as unconverted_count
    from mrr_daily
    where mrr_date = (select latest_extract_date from billing_latest)
    group by company_key
),

mrr_history as (
    select
        company_key,
        min(mrr_date) as first_mrr_date,
        max(mrr_date) as last_mrr_date
    from mrr_daily
    group by company_key
),

trialing as (
    select distinct billing_ids.company_key
    from observations
    inner join billing_ids on observations.customer_id = billing_ids.customer_id
    where observations.status = 'trialing'
        and observations.extract_date = (select latest_extract_date from billing_latest)
),

staged as (
    select
        companies.company_key,
        case when mrr_today.currency_count = 1 then mrr_today.currency end as mrr_currency,
        case when mrr_today.currency_count = 1 then mrr_today.mrr end as mrr,
        coalesce(mrr_today.reporting_currency, {{ reporting_currency() }}) as reporting_currency,
        case
            when mrr_today.unconverted_count = 0 then mrr_today.mrr_reporting
            when mrr_today.company_key is null then 0
        end as mrr_reporting,
        mrr_history.first_mrr_date,
        mrr_history.last_mrr_date,
        case
            when mrr_today.company_key is not null then 'paying'
            when trialing.company_key is not null then 'trialing'
            when mrr_history.last_mrr_date >= (select churned_since from billing_latest)
                then 'churned'
            when mrr_history.company_key is not null
                or account_types.account_type = 'Former Customer'
                then 'former_customer'
            else 'prospect'
        end as lifecycle_stage,
        (select latest_extract_date from billing_latest) as billing_as_of_date
    from companies
    left join account_types on companies.company_key = account_types.company_key
    left join mrr_today on companies.company_key = mrr_today.company_key
    left join mrr_history on companies.company_key = mrr_history.company_key
    left join trialing on companies.company_key = trialing.company_key
),

final as (
    select
        staged.company_key,
        staged.lifecycle_stage,
        staged.mrr_currency,
        staged.reporting_currency,
        mrr_bands.band_code as mrr_band,
        staged.mrr,
        staged.mrr_reporting,
        staged.first_mrr_date,
        staged.last_mrr_date,
        staged.billing_as_of_date
    from staged
    left join mrr_bands
        on staged.mrr_reporting > 0
        and staged.mrr_reporting >= mrr_bands.lower_bound
        and (mrr_bands.upper_bound is null or staged.mrr_reporting < mrr_bands.upper_bound)
)

select * from final
