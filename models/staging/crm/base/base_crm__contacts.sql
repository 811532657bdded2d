{#-
    Every landed contact row, typed, with the first check it fails (if any)
    and whether it repeats a version already loaded. Feeds
    stg_crm__contacts_versions (good, first copy), ops.rejected_rows (bad)
    and ops.load_reconciliation (counts per partition).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('crm', 'contacts') %}

with

source as (
    select * from {{ source('crm', 'contacts') }}
    where {{ landing_partition_filter(plan) }}
),

-- rows of a person erased on request (doc block `erasure`) are withheld
-- from every load, counted in ops.load_reconciliation as erased
erased as (
    {{ erased_values('source', erasure_columns('crm', 'contacts')) }}
),

kept as (
    select * from source
    where not {{ is_erased('erased', erasure_columns('crm', 'contacts')) }}
),

typed as (
    select
        -- ids
        nullif(trim("Id"), '') as contact_id,
        nullif(trim("AccountId"), '') as account_id,
        nullif(trim("App_User_Id__c"), '') as app_user_id,
        -- strings
        "Email" as email,
        nullif(lower(trim("Email")), '') as email_normalized,
        "FirstName" as first_name,
        "LastName" as last_name,
        "Title" as title,
        "LeadSource" as lead_source,
        -- booleans
        try_cast("HasOptedOutOfEmail" as boolean) as has_opted_out_of_email,
        coalesce(try_cast("IsDeleted" as boolean), false) as is_deleted,
        -- timestamps (UTC)
        {{ iso_to_utc('"CreatedDate"') }} as created_at,
        {{ iso_to_utc('"LastModifiedDate"') }} as last_modified_at,
        {{ iso_to_utc('"SystemModstamp"') }} as system_modified_at,
        -- raw values, for reject messages
        cast("Id" as varchar) as _record_key,
        "CreatedDate" as _raw_created_date,
        "LastModifiedDate" as _raw_last_modified_date,
        "SystemModstamp" as _raw_system_modstamp,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from kept
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'contact_id is null', 'column': 'Id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'system_modified_at is null', 'column': 'SystemModstamp',
             'value': '_raw_system_modstamp', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_created_date is not null and created_at is null',
             'column': 'CreatedDate', 'value': '_raw_created_date',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_last_modified_date is not null and last_modified_at is null',
             'column': 'LastModifiedDate', 'value': '_raw_last_modified_date',
             'reason': 'unparseable timestamp'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
