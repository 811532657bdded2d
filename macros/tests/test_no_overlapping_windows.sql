{#-
    Fails with every row whose validity window [valid_from, valid_to) is
    empty or inverted, overlaps the next window of its partition, is open
    (valid_to null) but not the last, or - with allow_gaps=false - does not
    end exactly where the next window starts. A null valid_from fails too.
-#}
{% test no_overlapping_windows(
    model, partition_by, valid_from='valid_from', valid_to='valid_to',
    allow_gaps=true
) -%}
    {%- set partition_columns = [partition_by] if partition_by is string
        else partition_by -%}
    {%- set partition_csv = partition_columns | join(', ') -%}

with

windows as (
    select
        {{ partition_csv }},
        {{ valid_from }} as window_from,
        {{ valid_to }} as window_to
    from {{ model }}
),

ordered as (
    select
        *,
        lead(window_from) over (
            partition by {{ partition_csv }}
            order by window_from, window_to nulls last
        ) as next_window_from,
        count(*) over (
            partition by {{ partition_csv }}, window_from
        ) as windows_starting_together
    from windows
),

failures as (
    select
        *,
        case
            when window_from is null then 'null valid_from'
            when windows_starting_together > 1 then 'two windows start together'
            when window_to is not null and window_to <= window_from
                then 'empty or inverted window'
            when next_window_from is not null and window_to is null
                then 'open window before another'
            when next_window_from is not null and window_to > next_window_from
                then 'overlaps the next window'
            {%- if not allow_gaps %}
            when next_window_from is not null and window_to < next_window_from
                then 'gap before the next window'
            {%- endif %}
        end as failure
    from ordered
)

select * from failures
where failure is not null
{%- endtest %}
