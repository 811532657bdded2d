{#-
    Every landed ticket row, typed, with the first check it fails (if any)
    and whether it repeats a version already loaded. A ticket lands in every
    extract where it changed: a version is (ticket_id, updated_at).

    The help desk writes naive local times in its own zone (var
    `support_timezone`): they become UTC here with local_to_utc, which
    resolves DST gaps and overlaps as Python's zoneinfo does with fold=0.
    A value that carries its own offset (`Z`, `+01:00`) is not naive: it is
    converted with that offset instead (casting it to a naive timestamp
    would silently drop the offset).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('support', 'tickets') %}

{% set zone = "'" ~ var('support_timezone') ~ "'" %}

with

source as (
    select * from {{ source('support', 'tickets') }}
    where {{ landing_partition_filter(plan) }}
),

-- rows of a person erased on request (doc block `erasure`) are withheld
-- from every load, counted in ops.load_reconciliation as erased
erased as (
    {{ erased_values('source', erasure_columns('support', 'tickets')) }}
),

kept as (
    select * from source
    where not {{ is_erased('erased', erasure_columns('support', 'tickets')) }}
),

raw_text as (
    select
        *,
        trim(cast(created_at as varchar)) as _raw_created_at,
        trim(cast(updated_at as varchar)) as _raw_updated_at,
        trim(cast(solved_at as varchar)) as _raw_solved_at
    from kept
),

offsets as (
    -- the time part (from the 11th character on) of an ISO string holds a
    -- `+`, a `-` or a trailing `Z` only when the value carries an offset
    select
        *,
        substr(_raw_created_at, 11) like '%+%'
        or substr(_raw_created_at, 11) like '%-%'
        or upper(_raw_created_at) like '%Z' as _created_at_has_offset,
        substr(_raw_updated_at, 11) like '%+%'
        or substr(_raw_updated_at, 11) like '%-%'
        or upper(_raw_updated_at) like '%Z' as _updated_at_has_offset,
        substr(_raw_solved_at, 11) like '%+%'
        or substr(_raw_solved_at, 11) like '%-%'
        or upper(_raw_solved_at) like '%Z' as _solved_at_has_offset
    from raw_text
),

typed as (
    select
        -- ids
        nullif(trim(cast(ticket_id as varchar)), '') as ticket_id,
        nullif(trim(organization_external_id), '') as organization_id,
        -- strings
        requester_email,
        nullif(lower(trim(requester_email)), '') as requester_email_normalized,
        status,
        priority,
        channel,
        nullif(trim(satisfaction_rating), '') as satisfaction_rating,
        -- timestamps (UTC)
        case
            when _created_at_has_offset then {{ iso_to_utc('_raw_created_at') }}
            else {{ local_to_utc('try_cast(_raw_created_at as timestamp)', zone) }}
        end as created_at,
        case
            when _updated_at_has_offset then {{ iso_to_utc('_raw_updated_at') }}
            else {{ local_to_utc('try_cast(_raw_updated_at as timestamp)', zone) }}
        end as updated_at,
        case
            when _solved_at_has_offset then {{ iso_to_utc('_raw_solved_at') }}
            else {{ local_to_utc('try_cast(_raw_solved_at as timestamp)', zone) }}
        end as solved_at,
        -- raw values, for reject messages
        cast(ticket_id as varchar) as _record_key,
        _raw_created_at,
        _raw_updated_at,
        _raw_solved_at,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from offsets
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'ticket_id is null', 'column': 'ticket_id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'updated_at is null', 'column': 'updated_at',
             'value': '_raw_updated_at', 'reason': 'unparseable timestamp'},
            {'fails': "nullif(_raw_created_at, '') is not null and created_at is null",
             'column': 'created_at', 'value': '_raw_created_at',
             'reason': 'unparseable timestamp'},
            {'fails': "nullif(_raw_solved_at, '') is not null and solved_at is null",
             'column': 'solved_at', 'value': '_raw_solved_at',
             'reason': 'unparseable timestamp'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
