{#-
    The CTEs (to be placed inside a `with`) that turn resolved attribute
    changes into SCD2 versions. `changes` names a CTE with entity_key,
    attribute, new_value, changed_at; `entities` a CTE with entity_key and
    born_at (when its first version starts). The last CTE, `versions`, has
    one row per (entity_key, valid_from) with valid_to (half-open, null for
    the current version) and one text column per name in `attributes`: the
    value as of the version. A version starts only where an attribute
    changed, so no two consecutive versions are equal.
-#}
{% macro versions_from_attribute_changes(changes, entities, attributes) -%}
version_starts as (
    select entity_key, born_at as valid_from from {{ entities }}
    union
    select entity_key, changed_at as valid_from from {{ changes }}
),

attribute_names as (
    {% for attribute in attributes %}
    select '{{ attribute }}' as attribute
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

version_grid as (
    select
        version_starts.entity_key,
        version_starts.valid_from,
        attribute_names.attribute,
        attribute_changes.changed_at,
        attribute_changes.new_value
    from version_starts
    cross join attribute_names
    left join {{ changes }} as attribute_changes
        on version_starts.entity_key = attribute_changes.entity_key
        and attribute_names.attribute = attribute_changes.attribute
        and version_starts.valid_from = attribute_changes.changed_at
),

-- carry each attribute's last change forward: rows after a change share
-- its change number, and only the change row itself holds the value
change_groups as (
    select
        *,
        count(changed_at) over (
            partition by entity_key, attribute
            order by valid_from
            rows between unbounded preceding and current row
        ) as change_number
    from version_grid
),

values_as_of as (
    select
        entity_key,
        valid_from,
        attribute,
        max(new_value) over (
            partition by entity_key, attribute, change_number
        ) as attribute_value
    from change_groups
),

pivoted as (
    select
        entity_key,
        valid_from,
        {% for attribute in attributes %}
        max(case when attribute = '{{ attribute }}' then attribute_value end)
            as {{ attribute }}{{ "," if not loop.last }}
        {% endfor %}
    from values_as_of
    group by entity_key, valid_from
),

versions as (
    select
        *,
        lead(valid_from) over (
            partition by entity_key order by valid_from
        ) as valid_to
    from pivoted
)
{%- endmacro %}
