{#-
    One row per company key ever issued (survivors and losers of merges)
    with the key that survives today: join facts or old exports on
    issued_company_key to carry the survivor. Every identifier that ever held
    a key now sits in the same company (links only accumulate), so the
    survivor is the current key of any of them.
-#}
with

registry as (
    select * from {{ ref('company_key_registry') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

final as (
    select distinct
        registry.company_key as issued_company_key,
        identifiers.company_key
    from registry
    inner join identifiers
        on registry.identifier_type = identifiers.identifier_type
        and registry.identifier_value = identifiers.identifier_value
)

select * from final
