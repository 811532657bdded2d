{#-
    One row per landed partition (source table, extract date) of a person
    table where rows were withheld because they belong to a person erased
    on request (doc block `erasure`): how many. ops.load_reconciliation
    counts them so that landed = loaded + rejected + duplicates + erased.
    Without an erasure it reads nothing and is empty.
-#}
-- depends_on: {{ ref('landing_views') }}
{%- set tables = erasure_person_tables() %}
{%- set active = erasure_active() %}

with

{% for system, table, columns in tables %}
    {{ system }}_{{ table }} as (
        select * from {{ source(system, table) }}
        {%- if not active %}
            where false
        {%- endif %}
    ),

    {{ system }}_{{ table }}_erased as (
        {{ erased_values(system ~ '_' ~ table, columns) }}
    ),

    {{ system }}_{{ table }}_withheld as (
        select
            '{{ system }}/{{ table }}' as source_table,
            extract_date,
            count(*) as withheld_rows
        from {{ system }}_{{ table }}
        where {{ is_erased(system ~ '_' ~ table ~ '_erased', columns) }}
        group by extract_date
    ),

{% endfor %}
withheld as (
    {% for system, table, columns in tables %}
        select
            source_table,
            extract_date,
            withheld_rows
        from {{ system }}_{{ table }}_withheld
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from withheld
