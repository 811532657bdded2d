{#-
    Every landed account row, typed, with the first check it fails (if any)
    and whether it repeats a version already loaded. Feeds
    stg_crm__accounts_versions (good, first copy), ops.rejected_rows (bad)
    and ops.load_reconciliation (counts per partition).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('crm', 'accounts') %}

with

source as (
    select * from {{ source('crm', 'accounts') }}
    where {{ landing_partition_filter(plan) }}
),

typed as (
    select
        -- ids
        nullif(trim("Id"), '') as account_id,
        nullif(trim("ParentId"), '') as parent_account_id,
        nullif(trim("OwnerId"), '') as owner_user_id,
        nullif(trim("CSM__c"), '') as csm_user_id,
        nullif(trim("App_Account_Id__c"), '') as app_account_id,
        -- strings
        "Name" as account_name,
        "Website" as website,
        "Industry" as industry,
        "BillingCountry" as billing_country,
        "BillingState" as billing_state,
        "BillingCity" as billing_city,
        "AccountSource" as account_source,
        "Type" as account_type,
        "Time_Zone__c" as time_zone_text,
        -- numerics
        try_cast("NumberOfEmployees" as bigint) as employee_count,
        try_cast("AnnualRevenue" as decimal(18, 2)) as annual_revenue,
        -- booleans
        coalesce(try_cast("IsDeleted" as boolean), false) as is_deleted,
        -- dates
        try_cast("Contract_Signed_Date__c" as date) as contract_signed_date,
        try_cast("Onboarding_Completed_Date__c" as date) as onboarding_completed_date,
        -- timestamps (UTC)
        {{ iso_to_utc('"CreatedDate"') }} as created_at,
        {{ iso_to_utc('"LastModifiedDate"') }} as last_modified_at,
        {{ iso_to_utc('"SystemModstamp"') }} as system_modified_at,
        -- raw values, for reject messages
        cast("Id" as varchar) as _record_key,
        "CreatedDate" as _raw_created_date,
        "LastModifiedDate" as _raw_last_modified_date,
        "SystemModstamp" as _raw_system_modstamp,
        "NumberOfEmployees" as _raw_number_of_employees,
        "Contract_Signed_Date__c" as _raw_contract_signed_date,
        "Onboarding_Completed_Date__c" as _raw_onboarding_completed_date,
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
            {'fails': 'account_id is null', 'column': 'Id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'system_modified_at is null', 'column': 'SystemModstamp',
             'value': '_raw_system_modstamp', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_created_date is not null and created_at is null',
             'column': 'CreatedDate', 'value': '_raw_created_date',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_last_modified_date is not null and last_modified_at is null',
             'column': 'LastModifiedDate', 'value': '_raw_last_modified_date',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_contract_signed_date is not null and contract_signed_date is null',
             'column': 'Contract_Signed_Date__c', 'value': '_raw_contract_signed_date',
             'reason': 'unparseable date'},
            {'fails': '_raw_onboarding_completed_date is not null'
                ~ ' and onboarding_completed_date is null',
             'column': 'Onboarding_Completed_Date__c',
             'value': '_raw_onboarding_completed_date', 'reason': 'unparseable date'},
            {'fails': '_raw_number_of_employees is not null and employee_count is null',
             'column': 'NumberOfEmployees', 'value': '_raw_number_of_employees',
             'reason': 'not a whole number'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
