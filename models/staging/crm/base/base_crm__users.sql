{#-
    Every landed user row (sales and CS reps), typed, with the first check it
    fails (if any) and whether it repeats a version already loaded. Feeds
    stg_crm__users_versions (good, first copy), ops.rejected_rows (bad) and
    ops.load_reconciliation (counts per partition). The spec gives users no
    CreatedDate and no IsDeleted.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('crm', 'users') %}

with

source as (
    select * from {{ source('crm', 'users') }}
    where {{ landing_partition_filter(plan) }}
),

typed as (
    select
        -- ids
        nullif(trim("Id"), '') as user_id,
        -- strings
        "Name" as user_name,
        "Email" as email,
        "Title" as title,
        -- booleans
        try_cast("IsActive" as boolean) as is_active,
        -- timestamps (UTC)
        {{ iso_to_utc('"LastModifiedDate"') }} as last_modified_at,
        {{ iso_to_utc('"SystemModstamp"') }} as system_modified_at,
        -- raw values, for reject messages
        cast("Id" as varchar) as _record_key,
        "LastModifiedDate" as _raw_last_modified_date,
        "SystemModstamp" as _raw_system_modstamp,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from source
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'user_id is null', 'column': 'Id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'system_modified_at is null', 'column': 'SystemModstamp',
             'value': '_raw_system_modstamp', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_last_modified_date is not null and last_modified_at is null',
             'column': 'LastModifiedDate', 'value': '_raw_last_modified_date',
             'reason': 'unparseable timestamp'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
