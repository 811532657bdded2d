with

manifests as (
    select * from {{ read_landing_manifests(var('raw_dir')) }}
),

final as (
    select
        -- strings
        system,
        table_name,
        mode,
        manifest_path,
        -- numerics
        row_count,
        -- dates
        extract_date,
        -- timestamps (UTC)
        extracted_at
    from manifests
)

select * from final
