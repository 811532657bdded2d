{#-
    Every landed row that could not be staged, with where it came from and
    why. raw_value is withheld (null, and withheld_reason says why) for a
    column that may hold personal data — emails, names, IP addresses, user
    ids, comments, JSON (context, traits, properties, metadata, items): the
    analytics file gets this table (docs/privacy.md); the value stays in
    the base model's _reject_value in the build file.
-#}
{%- set personal_columns = [
    'email', 'requester_email', 'name', 'firstname', 'lastname', 'user_id', 'userid',
    'anonymousid', 'previousid', 'app_user_id__c', 'comment', 'context', 'traits',
    'properties', 'metadata', 'items', 'ip',
] %}
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
),

withheld as (
    select
        *,
        lower(column_name) in ('{{ personal_columns | join("', '") }}') -- noqa: LT05
        or reason = 'invalid JSON' as is_withheld
    from unioned
)

select
    source_table,
    file_path,
    file_row,
    extract_date,
    record_key,
    column_name,
    case when not is_withheld then raw_value end as raw_value,
    reason,
    case
        when is_withheld and raw_value is not null
            then 'may hold personal data: see the base model in the build file'
    end as withheld_reason
from withheld
