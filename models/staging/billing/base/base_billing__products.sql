{#-
    Every landed Stripe product row (one per product per daily full extract),
    typed, `metadata.plan` parsed out, with the first check it fails (if any)
    and whether it repeats a product already loaded from the same extract.
    Feeds stg_billing__products_daily (good, first copy), ops.rejected_rows
    (bad) and ops.load_reconciliation (counts per partition).
-#}
-- depends_on: {{ ref('landing_views') }}

with

source as (
    select * from {{ source('billing', 'products') }}
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
        _file_row
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

versioned as (
    select
        *,
        -- a full extract holds each product once; a second copy of the same
        -- id in one partition is a duplicate: keep the last one in file order
        _reject_reason is null and row_number() over (
            partition by _reject_reason is null, product_id, extract_date
            order by _file desc, _file_row desc
        ) > 1 as _is_duplicate
    from checked
)

select * from versioned
