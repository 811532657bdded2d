{#- The history attributes that hold personal data, by how the analytics
    file shows them: `email` ones as their email_hash, `name` ones not at
    all (null). Every other attribute is published as it is. Staff (CRM
    users) appear by id only, so their attributes are not listed here.
    docs/privacy.md. -#}
{% macro personal_attributes(kind=none) %}
    {%- set kinds = {
        'email': ['email', 'billing_email'],
        'name': ['first_name', 'last_name', 'full_name'],
    } -%}
    {%- if kind is none -%}
        {{ return(kinds['email'] + kinds['name']) }}
    {%- endif -%}
    {{ return(kinds[kind]) }}
{% endmacro %}
