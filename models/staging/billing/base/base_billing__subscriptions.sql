{#-
    Every landed Stripe subscription row (one per subscription per daily full
    extract), typed, epoch seconds in UTC, the `items` JSON array parsed once
    into a list of {item_id, price_id, quantity}, with the first check the row
    fails (if any) and whether it repeats a subscription already loaded from
    the same extract. Feeds stg_billing__subscriptions_daily and
    stg_billing__subscription_items_daily (good, first copy),
    ops.rejected_rows (bad) and ops.load_reconciliation.
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{%- set plan = landing_load_plan('billing', 'subscriptions') %}

{# Stripe's full set of subscription statuses; anything else is rejected. -#}
{%- set statuses = [
    'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete',
    'incomplete_expired', 'paused',
] -%}
{#- source column -> UTC timestamp column -#}
{%- set epoch_columns = {
    'created': 'created_at',
    'start_date': 'started_at',
    'current_period_start': 'current_period_start_at',
    'current_period_end': 'current_period_end_at',
    'canceled_at': 'canceled_at',
    'ended_at': 'ended_at',
    'trial_start': 'trial_start_at',
    'trial_end': 'trial_end_at',
} -%}

with

source as (
    select * from {{ source('billing', 'subscriptions') }}
    where {{ landing_partition_filter(plan) }}
),

currencies as (
    select * from {{ ref('stg_seeds__currencies') }}
),

typed as (
    select
        -- ids
        nullif(trim(cast(source.id as varchar)), '') as subscription_id,
        nullif(trim(cast(source.customer as varchar)), '') as customer_id,
        -- strings
        lower(trim(source.status)) as status,
        lower(trim(source.currency)) as currency,
        -- booleans
        try_cast(source.cancel_at_period_end as boolean) as is_cancel_at_period_end,
        -- timestamps (UTC)
        {%- for column, name in epoch_columns.items() %}
            {{ epoch_to_utc('source.' ~ column) }} as {{ name }},
        {%- endfor %}
        -- nested: [{item_id, price_id, quantity}], parsed once here
        {{ json_to_struct_list(
            'source.items',
            {'id': 'varchar', 'price': 'varchar', 'quantity': 'bigint'}
        ) }} as items,
        -- raw values, for reject messages
        cast(source.id as varchar) as _record_key,
        cast(source.customer as varchar) as _raw_customer,
        source.status as _raw_status,
        source.currency as _raw_currency,
        source.items as _raw_items,
        {%- for column in epoch_columns %}
            cast(source.{{ column }} as varchar) as _raw_{{ column }},
        {%- endfor %}
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

{#- checks in priority order: keys, status, each timestamp, currency, items -#}
{%- set checks = [
    {'fails': 'subscription_id is null', 'column': 'id',
     'value': '_record_key', 'reason': 'null key'},
    {'fails': 'customer_id is null', 'column': 'customer',
     'value': '_raw_customer', 'reason': 'null customer'},
    {'fails': "coalesce(status not in ('" ~ statuses | join("', '") ~ "'), true)",
     'column': 'status', 'value': '_raw_status', 'reason': 'unknown status'},
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
    {'fails': '_raw_currency is not null and not _is_known_currency',
     'column': 'currency', 'value': '_raw_currency', 'reason': 'unknown currency'}
) -%}
{%- do checks.append(
    {'fails': '_raw_items is not null and items is null',
     'column': 'items', 'value': '_raw_items', 'reason': 'invalid JSON'}
) %}

checked as (
    select
        *,
        {{ reject_columns(checks) }}
    from typed
),

{{ landing_deduplicated('checked', plan) }}
