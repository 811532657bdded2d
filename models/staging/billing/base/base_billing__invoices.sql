{#-
    Every landed Stripe invoice row (incremental: an invoice lands again in
    every extract where it changed), typed, epoch seconds in UTC, amounts in
    major units of the invoice's currency, with the first check the row fails
    (if any) and whether it repeats an invoice already loaded from the same
    extract. Feeds stg_billing__invoices_versions (good, first copy),
    ops.rejected_rows (bad) and ops.load_reconciliation.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('billing', 'invoices') %}

{# The spec closes the set of invoice statuses; anything else is rejected. -#}
{%- set statuses = ['draft', 'open', 'paid', 'void', 'uncollectible'] -%}
{#- integer amounts in the currency's minor unit -#}
{%- set amount_columns = ['amount_due', 'amount_paid', 'total'] -%}
{#- source column -> UTC timestamp column -#}
{%- set epoch_columns = {
    'period_start': 'period_start_at',
    'period_end': 'period_end_at',
    'created': 'created_at',
} -%}

with

source as (
    select * from {{ source('billing', 'invoices') }}
    where {{ landing_partition_filter(plan) }}
),

currencies as (
    select * from {{ ref('stg_seeds__currencies') }}
),

numbers as (
    -- the amounts as exact numbers (whole ones if valid), with the
    -- currency's minor-unit exponent (null when the currency is unknown)
    select
        source.*,
        {%- for column in amount_columns %}
            try_cast(source.{{ column }} as decimal(38, 9)) as _{{ column }}_minor,
        {%- endfor %}
        currencies.minor_unit_exponent as _minor_unit_exponent
    from source
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
),

typed as (
    select
        -- ids
        nullif(trim(cast(id as varchar)), '') as invoice_id,
        nullif(trim(cast(customer as varchar)), '') as customer_id,
        nullif(trim(cast(subscription as varchar)), '') as subscription_id,
        -- strings
        lower(trim(status)) as status,
        lower(trim(currency)) as currency,
        -- numerics (major units of `currency`)
        {%- for column in amount_columns %}
            case
                when _{{ column }}_minor = trunc(_{{ column }}_minor)
                    and abs(_{{ column }}_minor) < 1e13
                    then {{ minor_to_major('_' ~ column ~ '_minor', '_minor_unit_exponent') }}
            end as {{ column }},
        {%- endfor %}
        -- timestamps (UTC)
        {%- for column, name in epoch_columns.items() %}
            {{ epoch_to_utc(column) }} as {{ name }},
        {%- endfor %}
        -- raw values, for reject messages
        cast(id as varchar) as _record_key,
        status as _raw_status,
        currency as _raw_currency,
        {%- for column in amount_columns %}
            cast({{ column }} as varchar) as _raw_{{ column }},
            _{{ column }}_minor,
        {%- endfor %}
        _minor_unit_exponent,
        {%- for column in epoch_columns %}
            cast({{ column }} as varchar) as _raw_{{ column }},
        {%- endfor %}
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from numbers
),

{#- checks in priority order: key, status, timestamps, currency, amounts -#}
{%- set checks = [
    {'fails': 'invoice_id is null', 'column': 'id',
     'value': '_record_key', 'reason': 'null key'},
    {'fails': "coalesce(status not in ('" ~ statuses | join("', '") ~ "'), true)",
     'column': 'status', 'value': '_raw_status', 'reason': 'unknown status'},
    {'fails': '_raw_created is null', 'column': 'created',
     'value': '_raw_created', 'reason': 'missing timestamp'},
] -%}
{%- for column, name in epoch_columns.items() -%}
    {%- do checks.append(
        {'fails': '_raw_' ~ column ~ ' is not null and ' ~ name ~ ' is null',
         'column': column, 'value': '_raw_' ~ column,
         'reason': 'unparseable timestamp'}
    ) -%}
    {%- do checks.append(
        {'fails': name ~ " not between timestamp '1970-01-01'"
            ~ " and timestamp '2100-01-01'",
         'column': column, 'value': '_raw_' ~ column,
         'reason': 'timestamp out of range'}
    ) -%}
{%- endfor -%}
{%- do checks.append(
    {'fails': '_minor_unit_exponent is null and (_raw_currency is not null'
        ~ ' or coalesce(_raw_' ~ amount_columns | join(', _raw_') ~ ') is not null)',
     'column': 'currency', 'value': '_raw_currency', 'reason': 'unknown currency'}
) -%}
{%- for column in amount_columns -%}
    {%- do checks.append(
        {'fails': '(_raw_' ~ column ~ ' is not null and _' ~ column ~ '_minor is null)'
            ~ ' or _' ~ column ~ '_minor <> trunc(_' ~ column ~ '_minor)',
         'column': column, 'value': '_raw_' ~ column,
         'reason': 'not a whole number'}
    ) -%}
    {%- do checks.append(
        {'fails': 'abs(_' ~ column ~ '_minor) >= 1e13',
         'column': column, 'value': '_raw_' ~ column,
         'reason': 'amount out of range'}
    ) -%}
{%- endfor %}

checked as (
    select
        *,
        {{ reject_columns(checks) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
