{#-
    One row per company-week of int_company_weeks with NPS answers in the
    var('nps_window_days') days ending with the week's last day (on the
    company's clock): the company's Net Promoter Score over them (macro
    net_promoter_score: every answer counts) and how many there are.
-#}
{%- set window_days = var('nps_window_days') | int %}
with

weeks as (
    select
        company_key,
        week_start,
        week_end_date
    from {{ ref('int_company_weeks') }}
),

responses as (
    select
        company_key,
        {{ nps_category('score') }} as category,
        local_date
    from {{ ref('int_nps_responses_attributed') }}
    where company_key is not null
),

final as (
    select
        -- keys
        cast(weeks.company_key as varchar) as company_key,
        -- numerics
        {{ net_promoter_score('responses.category') }} as nps,
        cast(count(*) as bigint) as nps_responses,
        -- dates
        cast(weeks.week_start as date) as week_start
    from weeks
    inner join responses
        on weeks.company_key = responses.company_key
        and responses.local_date <= weeks.week_end_date
        and responses.local_date > {{ dbt.dateadd('day', -window_days, 'weeks.week_end_date') }}
    group by weeks.company_key, weeks.week_start
)

select * from final
