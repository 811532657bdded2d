{#-
    The CTEs (to be placed inside a `with`) that turn keyed attribute
    observations into resolved attribute changes. `observations` names a CTE
    with entity_key, identifier_value, attribute, attribute_value,
    observed_at, source, source_precedence, source_model. Observations of
    one precedence form one timeline (one source, or sources that take
    turns on one timeline, like memberships asserted by crm or events).
    The last CTE, `resolved_changes`, has one row per (entity_key, attribute, changed_at)
    where the resolved value actually changed: old_value, new_value, source,
    source_model. Resolution at an instant: per attribute, each timeline's
    latest value at or before it; the first non-null value by precedence
    wins (all null: null). The first value of an attribute is a change from
    null; a first null is not.
-#}
{% macro resolve_attribute_changes(observations) -%}
-- one value per (entity, attribute, precedence, instant): two ids of one
-- entity observed at the same instant tie-break by id, then value
source_values as (
    select
        entity_key,
        attribute,
        source,
        source_precedence,
        source_model,
        attribute_value,
        observed_at
    from {{ observations }}
    qualify row_number() over (
        partition by entity_key, attribute, source_precedence, observed_at
        order by identifier_value, attribute_value nulls last, source, source_model
    ) = 1
),

-- each value holds until the next observation of the same precedence
source_intervals as (
    select
        *,
        lead(observed_at) over (
            partition by entity_key, attribute, source_precedence
            order by observed_at
        ) as superseded_at
    from source_values
),

change_points as (
    select distinct entity_key, attribute, observed_at as resolved_at
    from source_values
),

candidates as (
    select
        change_points.entity_key,
        change_points.attribute,
        change_points.resolved_at,
        source_intervals.attribute_value,
        source_intervals.source,
        source_intervals.source_model,
        row_number() over (
            partition by
                change_points.entity_key,
                change_points.attribute,
                change_points.resolved_at
            order by
                source_intervals.attribute_value is null,
                source_intervals.source_precedence,
                source_intervals.attribute_value
        ) as candidate_rank
    from change_points
    inner join source_intervals
        on change_points.entity_key = source_intervals.entity_key
        and change_points.attribute = source_intervals.attribute
        and source_intervals.observed_at <= change_points.resolved_at
        and (
            source_intervals.superseded_at is null
            or change_points.resolved_at < source_intervals.superseded_at
        )
),

resolved as (
    select
        entity_key,
        attribute,
        resolved_at,
        attribute_value,
        source,
        source_model,
        lag(attribute_value) over (
            partition by entity_key, attribute order by resolved_at
        ) as previous_value,
        row_number() over (
            partition by entity_key, attribute order by resolved_at
        ) as point_number
    from candidates
    where candidate_rank = 1
),

resolved_changes as (
    select
        entity_key,
        attribute,
        previous_value as old_value,
        attribute_value as new_value,
        source,
        source_model,
        resolved_at as changed_at
    from resolved
    where (point_number = 1 and attribute_value is not null)
        or (point_number > 1 and attribute_value is distinct from previous_value)
)
{%- endmacro %}
