{#-
    Append-only log of person keys issued: one row each time an identifier
    gets a key (new identifier, or its entity merged into another). Never
    rebuilt by `dbt build --full-refresh` (full_refresh = false), so keys
    survive rebuilds and backfills. See the identity docs for the rules.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with

components as (
    select * from {{ ref('int_person_components') }}
),

current_keys as (
    {% if is_incremental() %}
    select
        identifier_type,
        identifier_value,
        person_key,
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
        cast(null as varchar) as person_key,
        cast(null as timestamp) as anchor_first_seen_at
    where false
    {% endif %}
),

-- keys already issued to some identifier of each component
issued_keys as (
    select
        components.component_id,
        current_keys.person_key,
        min(current_keys.anchor_first_seen_at) as anchor_first_seen_at
    from components
    inner join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
    group by components.component_id, current_keys.person_key
),

-- a component with no issued key gets its candidate key
candidate_keys as (
    select distinct
        component_id,
        candidate_person_key as person_key,
        anchor_first_seen_at
    from components
    where component_id not in (select component_id from issued_keys)
),

-- several issued keys: the survivor is the key whose anchor was seen first
-- (ties: the smaller key); the others lose
survivors as (
    select
        component_id,
        person_key,
        anchor_first_seen_at
    from (
        select * from issued_keys
        union all
        select * from candidate_keys
    ) as keys
    qualify row_number() over (
        partition by component_id
        order by anchor_first_seen_at asc nulls last, person_key
    ) = 1
),

changed as (
    select
        components.identifier_type,
        components.identifier_value,
        survivors.person_key,
        survivors.anchor_first_seen_at,
        components.component_linked_at as linked_at,
        {{ customer360.run_started_at_utc() }} as assigned_at
    from components
    inner join survivors on components.component_id = survivors.component_id
    left join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
    where current_keys.person_key is distinct from survivors.person_key
)

select * from changed
