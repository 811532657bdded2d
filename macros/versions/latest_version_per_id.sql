{#-
    The latest version of each record and whether the source hard-deleted it:
    one row per id_column of `versions` (its columns, in order), plus
    first_extract_date / last_extract_date (the first and last extract any
    landed row with that id was in, rejected rows included: a usable key
    proves the record existed) and is_hard_deleted (the record is missing
    from the latest complete full extract of system/table_name although it
    was seen before it; false while no full extract has landed).
    order_by picks the latest version: CRM `system_modified_at desc,
    extract_date desc` (SystemModstamp, ties to the later extract), billing
    `extract_date desc`. Used by the CRM and billing stg_ models.
-#}
{% macro latest_version_per_id(versions, landed, partitions, id_column, system, table_name, order_by) -%}
    with

    last_full_extract as (
        select max(extract_date) as last_full_extract_date
        from {{ partitions }}
        where system = '{{ system }}' and table_name = '{{ table_name }}'
            and status = 'complete' and load_mode = 'full'
    ),

    appearances as (
        select
            {{ id_column }},
            min(extract_date) as first_extract_date,
            max(extract_date) as last_extract_date
        from {{ landed }}
        where {{ id_column }} is not null
        group by {{ id_column }}
    ),

    latest as (
        select *
        from {{ versions }}
        qualify row_number() over (
            partition by {{ id_column }}
            order by {{ order_by }}
        ) = 1
    )

    select
        latest.*,
        appearances.first_extract_date,
        appearances.last_extract_date,
        coalesce(
            appearances.last_extract_date < last_full_extract.last_full_extract_date,
            false
        ) as is_hard_deleted
    from latest
    inner join appearances on latest.{{ id_column }} = appearances.{{ id_column }}
    cross join last_full_extract
{%- endmacro %}
