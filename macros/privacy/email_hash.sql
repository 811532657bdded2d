{#- The keyed hash (HMAC-SHA-256, hex) of an email, normalised first (blanks
    trimmed, lower case): the `email_hash` analysts match their own lists
    with (`c360 hash`). Null stays null. -#}
{% macro email_hash(email) -%}
    {{ return(adapter.dispatch('email_hash')(email)) }}
{%- endmacro %}

{% macro default__email_hash(email) -%}
    {{ keyed_hash('lower(trim(' ~ email ~ '))') }}
{%- endmacro %}
