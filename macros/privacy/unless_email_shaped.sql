{#- The value, or null when it is shaped like an email (holds an `@`): some
    products use the person's email as their user id, and a raw email is
    never published (docs/privacy.md). -#}
{% macro unless_email_shaped(value) -%}
    case when {{ value }} not like '%@%' then {{ value }} end
{%- endmacro %}
