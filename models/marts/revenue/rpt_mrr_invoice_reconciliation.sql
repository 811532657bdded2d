{#-
    One row per company, currency and month with MRR or a paid invoice: the
    month's average daily MRR beside what its paid invoices bring to the
    month (each spread evenly over its service period), the difference,
    and whether it is worth a look (above var('mrr_invoice_threshold_share')
    of the larger of the two and var('mrr_invoice_threshold_amount')) with
    the reason where a rule explains it. Does billing collect what MRR
    says? Which customers are invoiced without MRR, or the other way round?
    Rules: doc block `mrr_invoice_rules`.
-#}
{%- set share = var('mrr_invoice_threshold_share') | float %}
{%- set amount = var('mrr_invoice_threshold_amount') | float %}
with

daily as (
    select
        company_key,
        currency,
        mrr,
        mrr_date
    from {{ ref('fct_mrr_daily') }}
),

latest as (
    select max(extract_date) as latest_extract_date
    from {{ ref('int_subscription_observations') }}
),

-- invoices land incrementally: the first month whole in the invoice
-- history (the first extract's month if it starts on the 1st, else the
-- next) is the first one with every invoice to compare with
invoice_history as (
    select
        cast(
            {{ dbt.date_trunc(
                'month', dbt.dateadd('day', 'day_count_before', 'first_extract_date')
            ) }} as date
        ) as first_month
    from (
        select
            min(extract_date) as first_extract_date,
            -- days to the next month's start, 0 on the 1st
            case
                when extract(day from min(extract_date)) = 1 then 0
                else 32 - extract(day from min(extract_date))
            end as day_count_before
        from {{ ref('stg_billing__invoices') }}
    ) as history
),

days as (
    select
        calendar_date,
        month_start_date
    from {{ ref('int_calendar_days') }}
),

month_lengths as (
    select
        month_start_date as month,
        count(*) as day_count
    from days
    group by month_start_date
),

company_customers as (
    select
        identifier_value as customer_id,
        company_key
    from {{ ref('bridge_company_identifiers') }}
    where identifier_type = 'billing_customer_id'
),

invoices as (
    select
        invoices.invoice_id,
        company_customers.company_key,
        invoices.status,
        invoices.currency,
        invoices.amount_due,
        invoices.amount_paid,
        cast(invoices.period_start_at as date) as service_start_date,
        -- the period's last day (a period ending at midnight ends the day before)
        cast({{ dbt.dateadd('second', -1, 'invoices.period_end_at') }} as date) as service_end_date,
        {{ dbt.datediff('invoices.period_start_at', 'invoices.period_end_at', 'day') }}
            as service_days
    from {{ ref('stg_billing__invoices') }} as invoices
    inner join company_customers on invoices.customer_id = company_customers.customer_id
    where invoices.status in ('paid', 'open', 'uncollectible')
        and invoices.period_end_at > invoices.period_start_at
),

-- each invoice's amount per day of its service period, on each day
invoice_days as (
    select
        invoices.company_key,
        invoices.currency,
        days.month_start_date as month,
        invoices.invoice_id,
        invoices.service_days,
        case when invoices.status = 'paid' then invoices.amount_paid else 0 end
        / (invoices.service_days + 0.0) as paid_per_day,
        case when invoices.status <> 'paid' then invoices.amount_due else 0 end
        / (invoices.service_days + 0.0) as unpaid_per_day
    from invoices
    inner join days
        on days.calendar_date >= invoices.service_start_date
        and days.calendar_date <= invoices.service_end_date
),

invoiced as (
    select
        company_key,
        currency,
        month,
        sum(paid_per_day) as paid_invoiced,
        sum(unpaid_per_day) as unpaid_invoiced,
        count(distinct invoice_id) as invoice_count,
        min(service_days) as shortest_service_days,
        max(service_days) as longest_service_days
    from invoice_days
    group by company_key, currency, month
),

mrr_months as (
    select
        daily.company_key,
        daily.currency,
        days.month_start_date as month,
        sum(daily.mrr) as mrr_days_total,
        count(*) as mrr_day_count
    from daily
    inner join days on daily.mrr_date = days.calendar_date
    group by daily.company_key, daily.currency, days.month_start_date
),

combined as (
    select
        coalesce(mrr_months.company_key, invoiced.company_key) as company_key,
        coalesce(mrr_months.currency, invoiced.currency) as currency,
        coalesce(mrr_months.month, invoiced.month) as month,
        -- the month's average daily MRR (days without MRR count 0)
        coalesce(mrr_months.mrr_days_total, 0) / month_lengths.day_count as average_mrr,
        coalesce(mrr_months.mrr_day_count, 0) as mrr_day_count,
        month_lengths.day_count,
        coalesce(invoiced.paid_invoiced, 0) as paid_invoiced,
        coalesce(invoiced.unpaid_invoiced, 0) as unpaid_invoiced,
        coalesce(invoiced.invoice_count, 0) as invoice_count,
        invoiced.shortest_service_days,
        invoiced.longest_service_days
    from mrr_months
    full outer join invoiced
        on mrr_months.company_key = invoiced.company_key
        and mrr_months.currency = invoiced.currency
        and mrr_months.month = invoiced.month
    inner join month_lengths
        on coalesce(mrr_months.month, invoiced.month) = month_lengths.month
    -- months that have begun by the latest extract, from the invoice history's first
    where coalesce(mrr_months.month, invoiced.month)
        <= (select latest_extract_date from latest)
        and coalesce(mrr_months.month, invoiced.month)
        >= (select first_month from invoice_history)
),

flagged as (
    select
        *,
        paid_invoiced - average_mrr as difference,
        abs(paid_invoiced - average_mrr) > {{ amount }}
        and abs(paid_invoiced - average_mrr)
        > {{ share }} * greatest(abs(paid_invoiced), abs(average_mrr)) as is_difference
    from combined
),

final as (
    select
        -- keys
        company_key,
        -- strings
        currency,
        case
            when not is_difference then null
            when average_mrr = 0 and invoice_count > 0 then 'invoiced_without_mrr'
            when invoice_count = 0 then 'mrr_without_invoice'
            when unpaid_invoiced > 0 and paid_invoiced < average_mrr then 'unpaid_invoice'
            when longest_service_days > 62 and paid_invoiced > average_mrr then 'annual_prepay'
            when shortest_service_days < 28 then 'proration'
            when mrr_day_count < day_count then 'partial_month'
            else 'unexplained'
        end as explanation,
        -- numerics
        cast(average_mrr as decimal(18, 4)) as average_mrr,
        cast(paid_invoiced as decimal(18, 4)) as paid_invoiced,
        cast(unpaid_invoiced as decimal(18, 4)) as unpaid_invoiced,
        cast(difference as decimal(18, 4)) as difference,
        cast(invoice_count as bigint) as invoice_count,
        cast(mrr_day_count as bigint) as mrr_day_count,
        cast(longest_service_days as bigint) as longest_service_days,
        -- booleans
        is_difference,
        -- dates
        month
    from flagged
)

select * from final
