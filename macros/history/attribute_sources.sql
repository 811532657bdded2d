{#-
    Which source column gives which attribute: (attribute, SQL expression
    over the source's staging model) per entity and source. The history
    (int_*_attribute_observations) and the data-decay confirmations
    (int_*_attribute_confirmations) read the same lists, so a value that
    re-asserts an attribute is compared exactly as history sees it.
-#}
{% macro company_attribute_sources(source) %}
    {%- set sources = {
        'crm': [
            ('company_name', 'account_name'),
            ('website', 'website'),
            ('industry', 'industry'),
            ('employee_count', 'employee_count'),
            ('annual_revenue', 'annual_revenue'),
            ('billing_country', 'billing_country'),
            ('billing_state', 'billing_state'),
            ('billing_city', 'billing_city'),
            ('account_type', 'account_type'),
            ('owner_user_id', 'owner_user_id'),
            ('csm_user_id', 'csm_user_id'),
            ('parent_crm_account_id', 'parent_account_id'),
            ('time_zone_text', 'time_zone_text'),
            ('contract_signed_date', 'contract_signed_date'),
            ('onboarding_completed_date', 'onboarding_completed_date'),
            ('crm_app_account_id', 'app_account_id'),
            ('is_deleted', 'is_deleted'),
        ],
        'billing': [
            ('company_name', 'customer_name'),
            ('billing_email', 'email'),
            ('currency', 'currency'),
            ('billing_country', 'address_country'),
            ('is_deleted', 'is_deleted'),
        ],
        'events': [
            ('company_name', 'trait_name'),
            ('plan', 'trait_plan'),
            ('employee_count', 'trait_employees'),
            ('industry', 'trait_industry'),
        ],
    } -%}
    {{ return(sources[source]) }}
{% endmacro %}

{% macro person_attribute_sources(source) %}
    {%- set sources = {
        'crm': [
            ('email', 'email_normalized'),
            ('first_name', 'first_name'),
            ('last_name', 'last_name'),
            ('full_name', "nullif(trim(concat_ws(' ', first_name, last_name)), '')"),
            ('title', 'title'),
            ('lead_source', 'lead_source'),
            ('has_opted_out_of_email', 'has_opted_out_of_email'),
            ('crm_account_id', 'account_id'),
            ('is_deleted', 'is_deleted'),
        ],
        'events': [
            ('email', "nullif(lower(trim(trait_email)), '')"),
            ('full_name', "nullif(trim(trait_name), '')"),
            ('title', "nullif(trim(trait_title), '')"),
        ],
    } -%}
    {{ return(sources[source]) }}
{% endmacro %}

{% macro freshness_attributes(entity) %}
    {%- set attributes = {
        'company': [
            'company_name', 'website', 'industry', 'employee_count', 'annual_revenue',
            'billing_country', 'billing_state', 'billing_city', 'account_type',
            'owner_user_id', 'csm_user_id', 'parent_crm_account_id', 'time_zone_text',
            'billing_email',
        ],
        'person': ['email', 'full_name', 'title', 'crm_account_id'],
    } -%}
    {{ return(attributes[entity]) }}
{% endmacro %}
