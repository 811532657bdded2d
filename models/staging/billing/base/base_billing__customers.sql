{#-
    Every landed Stripe customer row (one per customer per daily full
    extract), typed, with the first check it fails (if any) and whether it
    repeats a customer already loaded from the same extract. Feeds
    stg_billing__customers_daily (good, first copy), ops.rejected_rows (bad)
    and ops.load_reconciliation (counts per partition).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('billing', 'customers') %}

with

source as (
    select * from {{ source('billing', 'customers') }}
    where {{ landing_partition_filter(plan) }}
),

currencies as (
    select * from {{ ref('stg_seeds__currencies') }}
),

-- a billing email of a person erased on request (doc block `erasure`) is
-- withheld; the customer, a company's, stays
erased as (
    {{ erased_values('source', {'email': ['email']}) }}
),

typed as (
    select
        -- ids
        nullif(trim(cast(source.id as varchar)), '') as customer_id,
        nullif(trim({{ json_text('source.metadata', '$.app_account_id') }}), '')
            as app_account_id,
        nullif(trim({{ json_text('source.metadata', '$.crm_account_id') }}), '')
            as crm_account_id,
        -- strings
        case
            when not {{ is_erased('erased', {'email': ['source.email']}) }} then source.email
        end as email,
        source.name as customer_name,
        source.address_country,
        lower(trim(source.currency)) as currency,
        -- booleans
        coalesce(try_cast(source.deleted as boolean), false) as is_deleted,
        -- timestamps (UTC)
        {{ epoch_to_utc('source.created') }} as created_at,
        -- raw values, for reject messages
        cast(source.id as varchar) as _record_key,
        cast(source.created as varchar) as _raw_created,
        source.currency as _raw_currency,
        source.metadata as _raw_metadata,
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
        on lower(trim(source.currency)) = currencies.currency_code
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'customer_id is null', 'column': 'id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': '_raw_created is not null and created_at is null',
             'column': 'created', 'value': '_raw_created',
             'reason': 'unparseable timestamp'},
            {'fails': "created_at not between timestamp '1970-01-01'"
                ~ " and timestamp '2100-01-01'",
             'column': 'created', 'value': '_raw_created',
             'reason': 'timestamp out of range'},
            {'fails': '_raw_currency is not null and not _is_known_currency',
             'column': 'currency', 'value': '_raw_currency',
             'reason': 'unknown currency'},
            {'fails': 'not ' ~ is_valid_json('_raw_metadata'),
             'column': 'metadata', 'value': '_raw_metadata',
             'reason': 'invalid JSON'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
