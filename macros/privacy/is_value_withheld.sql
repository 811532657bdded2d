{#- True when the analytics file does not show `attribute`'s values as they
    are (macro published_attribute_value: hashed or null). -#}
{% macro is_value_withheld(attribute) -%}
    coalesce({{ attribute }} in ('{{ personal_attributes() | join("', '") }}'), false)
{%- endmacro %}
