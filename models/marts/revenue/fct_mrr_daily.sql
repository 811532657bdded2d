{#-
    One row per company, currency and UTC day on which the company had MRR
    in that currency at the end of the day (a day not listed is 0): the
    published face of int_company_mrr_daily, where the rules live (doc
    block `mrr_rules`).
-#}
with

mrr_daily as (
    select
        company_key,
        currency,
        reporting_currency,
        mrr,
        arr,
        subscription_count,
        fx_rate,
        mrr_reporting,
        mrr_date
    from {{ ref('int_company_mrr_daily') }}
)

select * from mrr_daily
