{#-
    The body of a key registry model (company_key_registry,
    person_key_registry): an append-only log with one row each time an
    identifier gets a key. Reads the model's own previous rows ({{ this }})
    when incremental. Rules (see the identity docs): a component keeps a key
    already issued to any of its identifiers; a key several components hold
    (a split) stays with the one whose anchor comes first, and a component
    left holding only keys others keep gets a new key, never issued before
    (salted with the registry's row count); with several keys, the survivor
    is the key whose anchor was seen first (ties: the smaller key); a
    component with none gets its candidate key.

    components: relation with component_id, identifier_type,
        identifier_value, anchor_identifier_type, anchor_identifier_value,
        anchor_type_priority, anchor_first_seen_at, component_linked_at and
        candidate_<key_column>.
    key_column: 'company_key' or 'person_key'.
    key_prefix: the keys' prefix ('co_' or 'pe_').
-#}
{% macro key_registry(components, key_column, key_prefix) -%}
{%- set entity = key_column | replace('_key', '') -%}
with

components as (
    select * from {{ components }}
),

current_keys as (
    {% if is_incremental() %}
    select
        identifier_type,
        identifier_value,
        {{ key_column }},
        anchor_first_seen_at
    from {{ this }}
    qualify row_number() over (
        partition by identifier_type, identifier_value
        order by assigned_at desc
    ) = 1
    {% else %}
    select
        cast(null as varchar) as identifier_type,
        cast(null as varchar) as identifier_value,
        cast(null as varchar) as {{ key_column }},
        cast(null as timestamp) as anchor_first_seen_at
    where false
    {% endif %}
),

registry_size as (
    {% if is_incremental() %}
    select count(*) as row_count from {{ this }}
    {% else %}
    select 0 as row_count
    {% endif %}
),

component_anchors as (
    select distinct
        component_id,
        anchor_identifier_type,
        anchor_identifier_value,
        anchor_type_priority,
        anchor_first_seen_at
    from components
),

-- keys already issued to some identifier of each component
issued_keys as (
    select
        components.component_id,
        current_keys.{{ key_column }},
        min(current_keys.anchor_first_seen_at) as anchor_first_seen_at
    from components
    inner join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
    group by components.component_id, current_keys.{{ key_column }}
),

-- a key several components hold (its entity split) stays with the one
-- whose anchor comes first (by first_seen_at, type priority, value)
kept_keys as (
    select
        issued_keys.component_id,
        issued_keys.{{ key_column }},
        issued_keys.anchor_first_seen_at
    from issued_keys
    inner join component_anchors
        on issued_keys.component_id = component_anchors.component_id
    qualify row_number() over (
        partition by issued_keys.{{ key_column }}
        order by
            component_anchors.anchor_first_seen_at asc nulls last,
            component_anchors.anchor_type_priority,
            component_anchors.anchor_identifier_value,
            component_anchors.anchor_identifier_type
    ) = 1
),

-- a component that holds only keys others keep (the separated side of a
-- split) gets a new key: its anchor salted with the registry's row count,
-- which grows with every run that issues a key, so it was never issued
split_keys as (
    select
        component_anchors.component_id,
        {{ customer360.surrogate_key(
            key_prefix,
            ["'" ~ entity ~ "'", 'component_anchors.anchor_identifier_type',
             'component_anchors.anchor_identifier_value', 'registry_size.row_count']
        ) }} as {{ key_column }},
        component_anchors.anchor_first_seen_at
    from component_anchors
    cross join registry_size
    where component_anchors.component_id in (select component_id from issued_keys)
        and component_anchors.component_id not in (select component_id from kept_keys)
),

-- a component with no issued key gets its candidate key
candidate_keys as (
    select distinct
        component_id,
        candidate_{{ key_column }} as {{ key_column }},
        anchor_first_seen_at
    from components
    where component_id not in (select component_id from issued_keys)
),

-- several keys: the survivor is the key whose anchor was seen first
-- (ties: the smaller key); the others lose
survivors as (
    select
        component_id,
        {{ key_column }},
        anchor_first_seen_at
    from (
        select * from kept_keys
        union all
        select * from split_keys
        union all
        select * from candidate_keys
    ) as keys
    qualify row_number() over (
        partition by component_id
        order by anchor_first_seen_at asc nulls last, {{ key_column }}
    ) = 1
),

changed as (
    select
        components.identifier_type,
        components.identifier_value,
        survivors.{{ key_column }},
        survivors.anchor_first_seen_at,
        components.component_linked_at as linked_at,
        {{ customer360.run_started_at_utc() }} as assigned_at
    from components
    inner join survivors on components.component_id = survivors.component_id
    left join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
    where current_keys.{{ key_column }} is distinct from survivors.{{ key_column }}
)

select * from changed
{%- endmacro %}
