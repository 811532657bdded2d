{#-
    One row per attribution input and run in which its state changed: an
    append-only log of what int_events_attributed reads to attribute a
    message, so that the incremental run of that model reattributes exactly
    the messages a change can move (doc block `events_incremental`). The
    inputs, each keyed as a message meets it:
      user_id / anonymous_id   -> the person_key it resolves to
      app_account_id           -> the company_key a named account is
      person_windows           -> a person's company windows, all of them
      company_timezones        -> a company's zone versions, all of them
      device_timezone          -> the zone a context.timezone text parses to
    state_hash is a hash of the state; null when the input is gone. A full
    build records every input as it is.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
with

person_identifiers as (
    select
        identifier_type,
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type in ('user_id', 'anonymous_id')
),

company_identifiers as (
    select
        identifier_value,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'app_account_id'
),

person_windows as (
    select
        person_key,
        coalesce(company_key, '') || '|' || coalesce(resolved_by, '') || '|'
        || coalesce(cast(valid_from as varchar), '') || '|'
        || coalesce(cast(valid_to as varchar), '') as window_text
    from {{ ref('int_person_company_windows') }}
),

company_timezones as (
    select
        company_key,
        coalesce(timezone, '') || '|' || cast(is_first as varchar) || '|'
        || coalesce(cast(valid_from as varchar), '') || '|'
        || coalesce(cast(valid_to as varchar), '') as version_text
    from {{ ref('int_company_timezones') }}
),

device_timezones as (
    select
        raw_text,
        timezone
    from {{ ref('int_timezone_texts_parsed') }}
    where timezone is not null
),

states as (
    select
        identifier_type as input,
        identifier_value as input_key,
        person_key as state
    from person_identifiers
    union all
    select
        'app_account_id' as input,
        identifier_value as input_key,
        company_key as state
    from company_identifiers
    union all
    select
        'person_windows' as input,
        person_key as input_key,
        {{ dbt.listagg('window_text', "';'", 'order by window_text') }} as state
    from person_windows
    group by person_key
    union all
    select
        'company_timezones' as input,
        company_key as input_key,
        {{ dbt.listagg('version_text', "';'", 'order by version_text') }} as state
    from company_timezones
    group by company_key
    union all
    select
        'device_timezone' as input,
        raw_text as input_key,
        timezone as state
    from device_timezones
),

{{ input_change_log('states') }}
