{#-
    One row per conflicting duplicate: a dedup key (macro landing_dedup_rules)
    that landed more than once with different content, e.g. two messages
    with one messageId but different properties, or two rows of one CRM
    version (Id, SystemModstamp) with different values. The base model keeps
    one copy (its rule is in `kept_copy`); this names the kept copy's file
    and row, one copy that differs from it, and the columns that differ.
    Faithful copies (retries, byte-identical re-landings) are not listed:
    ops.load_reconciliation counts them as duplicates.
-#}
{%- set rules = landing_dedup_rules() %}

with

{% for source_table, model in landing_base_models() %}
    {%- set rule = rules[model] %}
    {%- set skip = rule['keys'] + rule['varies'] + ['extract_date'] %}
    {%- set content = [] %}
    {%- if execute %}
        {%- for column in adapter.get_columns_in_relation(ref(model)) %}
            {%- if not column.name.startswith('_') and column.name not in skip %}
                {%- do content.append(column.name) %}
            {%- endif %}
        {%- endfor %}
    {%- endif %}
    {%- if not content %}{% do content.append('_record_key') %}{% endif %}
    {%- set copy_keys = [] %}
    {%- for key in rule['keys'] %}{% do copy_keys.append('copies.' ~ key) %}{% endfor %}

    {{ model }}_repeated_keys as (
        select distinct
            {{ rule['keys'] | join(', ') }}
        from {{ ref(model) }}
        where _reject_reason is null and _is_duplicate
    ),

    {{ model }}_copies as (
        select
            {% for key in rule['keys'] -%}
                copies.{{ key }},
            {% endfor -%}
            copies._record_key,
            copies._is_duplicate,
            copies._file,
            copies._file_row,
            hash({{ content | join(', ') }}) as content_hash,
            {{ content | join(', ') }}
        from {{ ref(model) }} as copies
        inner join {{ model }}_repeated_keys as repeated
            on
            {%- for key in rule['keys'] %}
                {{ 'and ' if not loop.first }}copies.{{ key }} = repeated.{{ key }}
            {%- endfor %}
        where copies._reject_reason is null
    ),

    {{ model }}_compared as (
        select
            {{ rule['keys'] | join(', ') }},
            max(_record_key) as record_key,
            count(*) as copy_count,
            count(distinct content_hash) as content_count,
            max(content_hash) filter (where not _is_duplicate) as kept_hash,
            max(_file) filter (where not _is_duplicate) as kept_file,
            max(_file_row) filter (where not _is_duplicate) as kept_file_row,
            concat_ws(
                ', ',
                {% for column in content -%}
                    case when count(distinct hash({{ column }})) > 1 then '{{ column }}' end
                    {{- ',' if not loop.last }}
                {% endfor -%}
            ) as differing_columns
        from {{ model }}_copies
        group by {{ rule['keys'] | join(', ') }}
        having count(distinct content_hash) > 1
    ),

    {{ model }}_differing_copies as (
        select
            {% for key in rule['keys'] -%}
                copies.{{ key }},
            {% endfor -%}
            copies._file,
            copies._file_row,
            row_number() over (
                partition by {{ copy_keys | join(', ') }}
                order by copies._file, copies._file_row
            ) as copy_rank
        from {{ model }}_copies as copies
        inner join {{ model }}_compared as compared
            on copies.content_hash <> compared.kept_hash
            {%- for key in rule['keys'] %}
                and copies.{{ key }} = compared.{{ key }}
            {%- endfor %}
    ),

    {{ model }}_conflicts as (
        select
            '{{ source_table }}' as source_table,
            '{{ rule['entity_type'] }}' as entity_type,
            compared.record_key,
            concat_ws(
                ', ',
                {% for key in rule['keys'] -%}
                    '{{ key }} ' || cast(compared.{{ key }} as varchar)
                    {{- ',' if not loop.last }}
                {% endfor -%}
            ) as dedup_key,
            compared.copy_count,
            compared.content_count,
            compared.differing_columns,
            '{{ rule['kept'] }}' as kept_copy,
            compared.kept_file,
            compared.kept_file_row,
            other._file as other_file,
            other._file_row as other_file_row
        from {{ model }}_compared as compared
        inner join {{ model }}_differing_copies as other
            on other.copy_rank = 1
            {%- for key in rule['keys'] %}
                and compared.{{ key }} = other.{{ key }}
            {%- endfor %}
    ),
{% endfor %}

unioned as (
    {% for source_table, model in landing_base_models() %}
        select * from {{ model }}_conflicts
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    source_table,
    entity_type,
    record_key,
    dedup_key,
    copy_count,
    content_count,
    differing_columns,
    kept_copy,
    kept_file,
    kept_file_row,
    other_file,
    other_file_row
from unioned
