{#-
    Every `_manifest.json` in the landing zone, one row per file, typed.

    Reads the files as text and parses the JSON per row instead of using
    read_json, for two reasons: read_text returns zero rows when the glob
    matches nothing (read_json raises "No files found"), and one truncated or
    malformed manifest must not take down the model (read_json fails the whole
    scan, even with ignore_errors). A manifest that is not valid JSON, or whose
    fields have the wrong type, gives a row with nulls in those fields, so the
    file is still listed by name and the model's tests point at it.
-#}
{% macro read_landing_manifests(raw_dir) -%}
    {{ return(adapter.dispatch('read_landing_manifests', 'customer360')(raw_dir)) }}
{%- endmacro %}


{% macro duckdb__read_landing_manifests(raw_dir) -%}
    {%- set pattern = (raw_dir | string).rstrip('/')
        ~ '/*/*/extract_date=*/_manifest.json' -%}
    (
        with

        files as (
            select
                filename as manifest_path,
                try_cast(content as json) as manifest
            from read_text('{{ pattern | replace("'", "''") }}')
        )

        select
            manifest_path,
            -- a field counts only when it has the type the spec gives it
            case when json_type(manifest, 'system') = 'VARCHAR'
                then manifest ->> 'system' end as system,
            case when json_type(manifest, 'table') = 'VARCHAR'
                then manifest ->> 'table' end as table_name,
            case when json_type(manifest, 'extract_date') = 'VARCHAR'
                then try_cast(manifest ->> 'extract_date' as date)
            end as extract_date,
            case when json_type(manifest, 'mode') = 'VARCHAR'
                then manifest ->> 'mode' end as mode,
            case when json_type(manifest, 'row_count') in ('UBIGINT', 'BIGINT')
                then try_cast(manifest ->> 'row_count' as bigint)
            end as row_count,
            -- ISO-8601 with Z or an offset; timezone('UTC', ...) gives the UTC
            -- wall time whatever the session time zone is
            case when json_type(manifest, 'extracted_at') = 'VARCHAR'
                then timezone(
                    'UTC', try_cast(manifest ->> 'extracted_at' as timestamptz)
                )
            end as extracted_at
        from files
    )
{%- endmacro %}


{% macro default__read_landing_manifests(raw_dir) -%}
    {{ exceptions.raise_compiler_error(
        "read_landing_manifests: no implementation for adapter '"
        ~ adapter.type() ~ "'; add a " ~ adapter.type()
        ~ "__read_landing_manifests macro"
    ) }}
{%- endmacro %}
