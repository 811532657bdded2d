{#-
    Every landed Stripe product row (one per product per daily full extract),
    typed, `metadata.plan` parsed out, with the first check it fails (if any)
    and whether it repeats a product already loaded from the same extract.
    Feeds stg_billing__products_daily (good, first copy), ops.rejected_rows
    (bad) and ops.load_reconciliation (counts per partition).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('billing', 'products') %}

with

source as (
    select * from {{ source('billing', 'products') }}
    where {{ landing_partition_filter(plan) }}
),

typed as (
    select
        -- ids
        nullif(trim(cast(id as varchar)), '') as product_id,
        -- strings
        name as product_name,
        nullif(trim({{ json_text('metadata', '$.plan') }}), '') as plan,
        -- booleans
        try_cast(active as boolean) as is_active,
        -- raw values, for reject messages
        cast(id as varchar) as _record_key,
        metadata as _raw_metadata,
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
            {'fails': 'product_id is null', 'column': 'id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': 'not ' ~ is_valid_json('_raw_metadata'),
             'column': 'metadata', 'value': '_raw_metadata',
             'reason': 'invalid JSON'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
