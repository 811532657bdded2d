{#-
    One row per company, week (Monday start, company-local days) and
    feature used in the trailing var('health_window_weeks') weeks ending
    with that week: the features the company's breadth of use counts. From
    int_person_activity_daily (feature use as fct_feature_usage_daily
    defines it).
-#}
{%- set window_weeks = var('health_window_weeks') | int %}
with

feature_weeks as (
    select distinct
        company_key,
        feature,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date) as week_start
    from {{ ref('int_person_activity_daily') }}
    where company_key is not null
        and feature is not null
),

offsets as (
    select generated_number - 1 as week_offset
    from ({{ dbt.generate_series(window_weeks) }}) as numbers
),

final as (
    select distinct
        -- keys
        cast(feature_weeks.company_key as varchar) as company_key,
        cast(feature_weeks.feature as varchar) as feature,
        -- dates
        cast(
            {{ dbt.dateadd('day', '7 * offsets.week_offset', 'feature_weeks.week_start') }}
            as date
        ) as week_start
    from feature_weeks
    cross join offsets
)

select * from final
