{#-
    Every landed opportunity row, typed, with the first check it fails (if
    any) and whether it repeats a version already loaded. Feeds
    stg_crm__opportunities_versions (good, first copy), ops.rejected_rows
    (bad) and ops.load_reconciliation (counts per partition). Amount is
    already in major units (a Salesforce currency field); CurrencyIsoCode is
    absent in single-currency orgs, so a null code is not a reject, an
    unknown one is.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('crm', 'opportunities') %}

with

source as (
    select * from {{ source('crm', 'opportunities') }}
    where {{ landing_partition_filter(plan) }}
),

currencies as (
    select * from {{ ref('stg_seeds__currencies') }}
),

typed as (
    select
        -- ids
        nullif(trim(source."Id"), '') as opportunity_id,
        nullif(trim(source."AccountId"), '') as account_id,
        -- strings
        source."Name" as opportunity_name,
        source."StageName" as stage_name,
        source."Type" as opportunity_type,
        nullif(lower(trim(source."CurrencyIsoCode")), '') as currency_code,
        -- numerics
        try_cast(source."Amount" as decimal(18, 4)) as amount,
        -- booleans
        try_cast(source."IsClosed" as boolean) as is_closed,
        try_cast(source."IsWon" as boolean) as is_won,
        coalesce(try_cast(source."IsDeleted" as boolean), false) as is_deleted,
        -- dates
        try_cast(source."CloseDate" as date) as close_date,
        -- timestamps (UTC)
        {{ iso_to_utc('source."CreatedDate"') }} as created_at,
        {{ iso_to_utc('source."LastModifiedDate"') }} as last_modified_at,
        {{ iso_to_utc('source."SystemModstamp"') }} as system_modified_at,
        -- raw values, for reject messages
        cast(source."Id" as varchar) as _record_key,
        source."Amount" as _raw_amount,
        source."CurrencyIsoCode" as _raw_currency_iso_code,
        source."CloseDate" as _raw_close_date,
        source."CreatedDate" as _raw_created_date,
        source."LastModifiedDate" as _raw_last_modified_date,
        source."SystemModstamp" as _raw_system_modstamp,
        currencies.currency_code is not null as _is_known_currency,
        -- lineage
        source.extract_date,
        source._load_mode,
        source._extracted_at,
        source._file,
        source._file_row,
        source._partition_fingerprint
    from source
    left join currencies
        on nullif(lower(trim(source."CurrencyIsoCode")), '') = currencies.currency_code
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'opportunity_id is null', 'column': 'Id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'system_modified_at is null', 'column': 'SystemModstamp',
             'value': '_raw_system_modstamp', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_created_date is not null and created_at is null',
             'column': 'CreatedDate', 'value': '_raw_created_date',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_last_modified_date is not null and last_modified_at is null',
             'column': 'LastModifiedDate', 'value': '_raw_last_modified_date',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_close_date is not null and close_date is null',
             'column': 'CloseDate', 'value': '_raw_close_date',
             'reason': 'unparseable date'},
            {'fails': '_raw_amount is not null and amount is null',
             'column': 'Amount', 'value': '_raw_amount', 'reason': 'not a number'},
            {'fails': 'currency_code is not null and not _is_known_currency',
             'column': 'CurrencyIsoCode', 'value': '_raw_currency_iso_code',
             'reason': 'unknown currency'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
