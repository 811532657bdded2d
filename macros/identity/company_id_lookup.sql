{#-
    A select of every id a CS seed may use for a company (`company_id`), with
    the surviving company_key it resolves to: company keys ever issued
    (co_..., through int_company_key_lookup, so a key that lost a merge still
    resolves), CRM Account Ids (18 characters, and their 15-character
    case-sensitive form that Salesforce's UI shows), app account ids (events
    groupId) and Stripe customer ids (cus_...). Columns: company_id,
    company_id_type, company_key. Join on `trim(<seed column>) = company_id`;
    no match means the id is unknown (report it, do not drop it).
-#}
{% macro company_id_lookup() -%}
    select
        issued_company_key as company_id,
        'company_key' as company_id_type,
        company_key
    from {{ ref('int_company_key_lookup') }}
    union all
    select
        identifier_value as company_id,
        identifier_type as company_id_type,
        company_key
    from {{ ref('int_company_identifiers') }}
    union all
    -- the 15-character Id is the 18-character one without its checksum
    -- suffix; it is only used when no other company has the same prefix
    select
        left(identifier_value, 15) as company_id,
        'crm_account_id_15' as company_id_type,
        min(company_key) as company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'crm_account_id'
        and length(identifier_value) = 18
    group by left(identifier_value, 15)
    having count(distinct company_key) = 1
{%- endmacro %}
