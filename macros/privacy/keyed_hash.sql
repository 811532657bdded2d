{#- HMAC-SHA-256 (hex) under the project's hashing key of an already
    normalised text. On DuckDB it is the function the c360 dbt plugin
    registers (the key stays in the dbt process, never in SQL); an engine
    without that function fails to compile rather than hash differently. -#}
{% macro keyed_hash(text) -%}
    {{ return(adapter.dispatch('keyed_hash')(text)) }}
{%- endmacro %}

{% macro default__keyed_hash(text) -%}
    {{ exceptions.raise_compiler_error(
        "keyed_hash: no hashing function for the " ~ target.type ~ " adapter;"
        " the c360 plugin registers c360_hash on DuckDB (docs/privacy.md)"
    ) }}
{%- endmacro %}

{% macro duckdb__keyed_hash(text) -%}
    c360_hash({{ text }})
{%- endmacro %}



{#- True when `hash` is the keyed hash of the normalised `text` under the
    current key or a retired one: how erasure requests made before a key
    rotation still match. -#}
{% macro keyed_hash_matches(text, hash) -%}
    {{ return(adapter.dispatch('keyed_hash_matches')(text, hash)) }}
{%- endmacro %}

{% macro default__keyed_hash_matches(text, hash) -%}
    {{ exceptions.raise_compiler_error(
        "keyed_hash_matches: no hashing function for the " ~ target.type ~ " adapter"
        " (docs/privacy.md)"
    ) }}
{%- endmacro %}

{% macro duckdb__keyed_hash_matches(text, hash) -%}
    list_contains(c360_hashes({{ text }}), {{ hash }})
{%- endmacro %}
