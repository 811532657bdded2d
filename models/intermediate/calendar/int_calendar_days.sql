{#-
    One row per calendar day from 1970-01-01 to 2149-06-06 (2^16 days): the
    spine that daily and monthly facts join to instead of generating dates
    each time. Portable (dbt's generate_series); 65,536 rows.
-#}
with

numbers as (
    {{ dbt.generate_series(65536) }}
),

final as (
    select
        -- dates
        cast(
            {{ dbt.dateadd('day', 'generated_number - 1', "cast('1970-01-01' as date)") }}
            as date
        ) as calendar_date,
        cast(
            {{ dbt.date_trunc(
                'month',
                dbt.dateadd('day', 'generated_number - 1', "cast('1970-01-01' as date)")
            ) }} as date
        ) as month_start_date
    from numbers
)

select * from final
