{#- The keyed hash of any other identifier (a user id, an anonymous id, a
    contact id), blanks trimmed. Null stays null. -#}
{% macro identifier_hash(value) -%}
    {{ return(adapter.dispatch('identifier_hash')(value)) }}
{%- endmacro %}

{% macro default__identifier_hash(value) -%}
    {{ keyed_hash('trim(' ~ value ~ ')') }}
{%- endmacro %}
