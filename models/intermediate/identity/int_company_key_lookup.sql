{#-
    One row per company key ever issued (survivors, losers of merges, keys
    split from) with the key that stands for it today: join facts or old
    exports on issued_company_key to carry it. A key some identifier still
    holds stands for itself (after a split, the side that kept it); any
    other key (a merge loser) resolves to today's key of its earliest-seen
    identifier (by first_seen_at, then type and value), in practice its
    anchor: links only accumulate, so without a never_same override every
    identifier that ever held a key sits in one company.
-#}
with

registry as (
    select * from {{ ref('company_key_registry') }}
),

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

holders as (
    select
        registry.company_key as issued_company_key,
        identifiers.company_key,
        identifiers.first_seen_at,
        identifiers.identifier_type,
        identifiers.identifier_value
    from registry
    inner join identifiers
        on registry.identifier_type = identifiers.identifier_type
        and registry.identifier_value = identifiers.identifier_value
),

final as (
    select
        issued_company_key,
        company_key
    from holders
    qualify row_number() over (
            partition by issued_company_key
            order by
                case when company_key = issued_company_key then 0 else 1 end,
                first_seen_at asc nulls last,
                identifier_type,
                identifier_value
        ) = 1
)

select * from final
