{#- Free text with every email in it replaced by `<email withheld>`: for
    messages that reach the analytics file (ops.data_issues) but are built
    from source values (a shared mailbox's address, a typed id). -#}
{% macro withhold_emails(text) -%}
    regexp_replace(
        {{ text }}, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '<email withheld>', 'g'
    )
{%- endmacro %}
