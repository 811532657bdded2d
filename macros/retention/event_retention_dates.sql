{#- The retention rule as one row over the landing scan `partitions`
    (doc block `event_retention`): as_of_date, the latest complete
    extract date of events/messages; retention_months; cutoff_date, that
    date less the months (a month end clamps: 31 March less one month is
    28 or 29 February), null when nothing is dropped; frozen_before_date,
    the day before it: an aggregate day before it is wholly older than the
    cut-off in every time zone (UTC-12 to UTC+14), so incremental runs keep
    it as it was counted. The same rows every time for the same landing
    zone: no wall clock. Portable: dbt.dateadd. -#}
{% macro event_retention_dates(partitions, months) -%}
select
    as_of_date,
    cast({{ months }} as integer) as retention_months,
    cutoff_date,
    cast({{ dbt.dateadd('day', -1, 'cutoff_date') }} as date) as frozen_before_date
from (
    select
        as_of_date,
        case
            when {{ months }} > 0
                then cast({{ dbt.dateadd('month', -months, 'as_of_date') }} as date)
        end as cutoff_date
    from (
        select cast(max(extract_date) as date) as as_of_date
        from {{ partitions }}
        where system = 'events' and table_name = 'messages'
            and status = 'complete' and extract_date is not null
    ) as landed
) as dated
{%- endmacro %}
