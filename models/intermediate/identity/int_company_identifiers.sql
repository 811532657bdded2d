{#-
    One row per company identifier (crm_account_id, app_account_id,
    billing_customer_id) with the company's surviving key: the identifier's
    latest row in the key registry.
-#}
with

components as (
    select * from {{ ref('int_company_components') }}
),

registry as (
    select * from {{ ref('company_key_registry') }}
),

current_keys as (
    select
        identifier_type,
        identifier_value,
        company_key
    from registry
    qualify row_number() over (
            partition by identifier_type, identifier_value
            order by assigned_at desc
        ) = 1
),

final as (
    select
        components.identifier_type,
        components.identifier_value,
        current_keys.company_key,
        components.first_seen_at
    from components
    inner join current_keys
        on components.identifier_type = current_keys.identifier_type
        and components.identifier_value = current_keys.identifier_value
)

select * from final
