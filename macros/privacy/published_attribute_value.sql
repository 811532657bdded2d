{#- An attribute's value as the analytics file may show it: an email
    attribute's value becomes its email_hash, a name attribute's value null,
    any other value stays (macro personal_attributes). `attribute` and
    `value` are SQL expressions; null stays null. -#}
{% macro published_attribute_value(attribute, value) -%}
    case
        when {{ attribute }} in ('{{ personal_attributes("email") | join("', '") }}')
            then {{ email_hash(value) }}
        when {{ attribute }} in ('{{ personal_attributes("name") | join("', '") }}')
            then null
        else {{ value }}
    end
{%- endmacro %}
