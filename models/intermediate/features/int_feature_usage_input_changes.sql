{#-
    One row per feature-usage input and run in which its state changed: an
    append-only log of what fct_feature_usage_daily reads besides the
    attributed events, so that its incremental run recounts exactly the
    companies whose access changed (doc block `events_incremental`):
      feature_access    -> a company's access sources, all of them (plan
                           windows, usable CS overrides, app toggles: what
                           fct_feature_access_windows is resolved from)
      event_dictionary  -> an event name's feature and key-event flag
    state_hash is a hash of the state; null when the input is gone.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
with

plan_windows as (
    select
        company_key,
        'plan|' || feature || '|' || coalesce(plan, '') || '|'
        || coalesce(cast(valid_from as varchar), '') || '|'
        || coalesce(cast(valid_to as varchar), '') as source_text
    from {{ ref('int_feature_windows_from_plans') }}
),

overrides as (
    select
        company_key,
        'override|' || feature || '|' || access || '|'
        || coalesce(cast(valid_from as varchar), '') || '|'
        || coalesce(cast(valid_to as varchar), '') as source_text
    from {{ ref('int_feature_access_overrides') }}
    where is_usable
),

toggles as (
    select
        company_key,
        'toggle|' || feature || '|' || toggle_state || '|'
        || coalesce(cast(valid_from as varchar), '') || '|'
        || coalesce(cast(valid_to as varchar), '') as source_text
    from {{ ref('int_feature_windows_from_toggles') }}
),

access_sources as (
    select * from plan_windows
    union all
    select * from overrides
    union all
    select * from toggles
),

dictionary as (
    select
        event_name,
        coalesce(feature, '') || '|' || cast(is_key_event as varchar) as entry_text
    from {{ ref('int_event_dictionary') }}
),

states as (
    select
        'feature_access' as input,
        company_key as input_key,
        {{ dbt.listagg('source_text', "';'", 'order by source_text') }} as state
    from access_sources
    where company_key is not null
    group by company_key
    union all
    select
        'event_dictionary' as input,
        event_name as input_key,
        entry_text as state
    from dictionary
),

{{ input_change_log('states') }}
