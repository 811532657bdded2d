{#-
    Every landed Stripe price row (one per price per daily full extract),
    typed, unit_amount in major units of its currency, with the first check
    it fails (if any) and whether it repeats a price already loaded from the
    same extract. Feeds stg_billing__prices_daily (good, first copy),
    ops.rejected_rows (bad) and ops.load_reconciliation.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('billing', 'prices') %}

with

source as (
    select * from {{ source('billing', 'prices') }}
    where {{ landing_partition_filter(plan) }}
),

currencies as (
    select * from {{ ref('stg_seeds__currencies') }}
),

numbers as (
    -- the amount as an exact number (a whole one if valid), with the
    -- currency's minor-unit exponent (null when the currency is unknown)
    select
        source.*,
        try_cast(source.unit_amount as decimal(38, 9)) as _unit_amount_minor,
        currencies.minor_unit_exponent as _minor_unit_exponent
    from source
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
),

typed as (
    select
        -- ids
        nullif(trim(cast(id as varchar)), '') as price_id,
        nullif(trim(cast(product as varchar)), '') as product_id,
        -- strings
        lower(trim(currency)) as currency,
        lower(trim(recurring_interval)) as recurring_interval,
        -- numerics (major units of `currency`)
        case
            when _unit_amount_minor = trunc(_unit_amount_minor)
                and abs(_unit_amount_minor) < 1e13
                then {{ minor_to_major('_unit_amount_minor', '_minor_unit_exponent') }}
        end as unit_amount,
        try_cast(recurring_interval_count as bigint) as recurring_interval_count,
        -- booleans
        try_cast(active as boolean) as is_active,
        -- raw values, for reject messages
        cast(id as varchar) as _record_key,
        currency as _raw_currency,
        cast(unit_amount as varchar) as _raw_unit_amount,
        _unit_amount_minor,
        _minor_unit_exponent,
        cast(recurring_interval_count as varchar) as _raw_recurring_interval_count,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from numbers
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'price_id is null', 'column': 'id',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': '(_raw_unit_amount is not null and _unit_amount_minor is null)'
                ~ ' or _unit_amount_minor <> trunc(_unit_amount_minor)',
             'column': 'unit_amount', 'value': '_raw_unit_amount',
             'reason': 'not a whole number'},
            {'fails': 'abs(_unit_amount_minor) >= 1e13',
             'column': 'unit_amount', 'value': '_raw_unit_amount',
             'reason': 'amount out of range'},
            {'fails': '_minor_unit_exponent is null and (_raw_currency is not null'
                ~ ' or _raw_unit_amount is not null)',
             'column': 'currency', 'value': '_raw_currency',
             'reason': 'unknown currency'},
            {'fails': '_raw_recurring_interval_count is not null'
                ~ ' and recurring_interval_count is null',
             'column': 'recurring_interval_count',
             'value': '_raw_recurring_interval_count',
             'reason': 'not a whole number'},
        ]) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
