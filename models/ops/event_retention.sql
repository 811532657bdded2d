{#-
    One row: this run's event retention (doc block `event_retention`): the
    events' as-of date (latest complete extract date of events/messages in
    the landing scan), the months kept, the cut-off date (events before it
    leave staging and the event facts; null keeps everything) and the first
    day daily aggregates still recount. The rule is the macro
    event_retention_dates, which the models that filter read the same way.
-#}
with

partitions as (
    select
        system,
        table_name,
        status,
        extract_date
    from {{ ref('landing_partitions') }}
),

retention as (
    {{ event_retention_dates('partitions', event_retention_months()) }}
),

final as (
    select
        cast(retention_months as integer) as retention_months,
        cast(as_of_date as date) as as_of_date,
        cast(cutoff_date as date) as cutoff_date,
        cast(frozen_before_date as date) as frozen_before_date
    from retention
)

select * from final
