{#-
    The reporting currency: the one currency revenue marts convert to
    (`usd` unless set). `$C360_REPORTING_CURRENCY` wins over
    var('reporting_currency'). Returns the lower-case code as a quoted SQL
    literal.
-#}
{% macro reporting_currency() -%}
    {%- set code = (env_var('C360_REPORTING_CURRENCY', '') or var('reporting_currency', 'usd'))
        | trim | lower -%}
    {%- if not modules.re.fullmatch('[a-z]{3}', code) -%}
        {{ exceptions.raise_compiler_error(
            "the reporting currency must be a three-letter ISO 4217 code such as usd (got '"
            ~ code ~ "'): set var('reporting_currency') or $C360_REPORTING_CURRENCY") }}
    {%- endif -%}
    '{{ code }}'
{%- endmacro %}
