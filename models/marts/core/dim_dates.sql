{#-
    One row per calendar day from 2000-01-01 to 2099-12-31: the time spine
    the semantic layer (models/semantic, MetricFlow) joins metrics to, for
    rolling windows and days without data. Published with the marts.
-#}
with

calendar_days as (
    select calendar_date
    from {{ ref('int_calendar_days') }}
),

final as (
    select calendar_date as date_day
    from calendar_days
    where calendar_date between cast('2000-01-01' as date) and cast('2099-12-31' as date)
)

select * from final
