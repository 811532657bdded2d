{#-
    Append-only log of person keys issued: one row each time an identifier
    gets a key (new identifier, or its entity merged into another). Never
    rebuilt by `dbt build --full-refresh` (full_refresh = false), so keys
    survive rebuilds and backfills. See the identity docs for the rules.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

{{ key_registry(ref('int_person_components'), 'person_key', 'pe_') }}
