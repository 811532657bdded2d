{#-
    Every landed user row (sales and CS reps), typed, with the first check it
    fails (if any) and whether it repeats a version already loaded. Feeds
    stg_crm__users_versions (good, first copy), ops.rejected_rows (bad) and
    ops.load_reconciliation (counts per partition). The spec gives users no
    CreatedDate and no IsDeleted.
-#}
-- depends_on: {{ ref('landing_views') }}

with

source as (
    select * from {{ source('crm', 'users') }}
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
        _file_row
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

versioned as (
    select
        *,
        -- the same version (Id, SystemModstamp) lands again in later extracts,
        -- full ones above all: keep the copy from the latest extract
        _reject_reason is null and row_number() over (
            partition by _reject_reason is null, user_id, system_modified_at
            order by extract_date desc, _file desc, _file_row desc
        ) > 1 as _is_duplicate
    from checked
)

select * from versioned
