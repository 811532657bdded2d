{#-
    One row per id a seed may name a company by (company_id in customer
    success's seeds): every company key ever issued (merged-away keys
    resolve to their survivor), CRM account Id (and its 15-character form,
    as Salesforce's UI shows it, when no other company shares it), app
    account id and Stripe customer id, with today's surviving company_key.
    Should one text be two kinds of id of different companies, the company
    key wins, then the CRM, billing and app ids.
-#}
with

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

key_lookup as (
    select * from {{ ref('int_company_key_lookup') }}
),

ids as (
    select
        issued_company_key as company_id,
        'company_key' as id_type,
        company_key,
        1 as id_rank
    from key_lookup
    union all
    select
        identifier_value as company_id,
        identifier_type as id_type,
        company_key,
        case identifier_type
            when 'crm_account_id' then 2
            when 'billing_customer_id' then 3
            else 4
        end as id_rank
    from identifiers
    union all
    -- the 15-character Id is the 18-character one without its checksum
    -- suffix; usable only when no other company has the same prefix
    select
        left(identifier_value, 15) as company_id,
        'crm_account_id_15' as id_type,
        min(company_key) as company_key,
        5 as id_rank
    from identifiers
    where identifier_type = 'crm_account_id'
        and length(identifier_value) = 18
    group by left(identifier_value, 15)
    having count(distinct company_key) = 1
),

final as (
    select
        -- ids
        company_id,
        company_key,
        -- strings
        id_type
    from ids
    qualify row_number() over (
            partition by company_id order by id_rank, company_key
        ) = 1
)

select * from final
