{#- Every landed row that could not be staged, with where it came from and why. -#}
with

{% for source_table, model in landing_base_models() %}
    {{ model }} as (
        select
            '{{ source_table }}' as source_table,
            _file as file_path,
            _file_row as file_row,
            extract_date,
            _record_key as record_key,
            _reject_column as column_name,
            _reject_value as raw_value,
            _reject_reason as reason
        from {{ ref(model) }}
        where _reject_reason is not null
    ),
{% endfor %}

unioned as (
    {% for source_table, model in landing_base_models() %}
        select * from {{ model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    source_table,
    file_path,
    file_row,
    extract_date,
    record_key,
    column_name,
    raw_value,
    reason
from unioned
