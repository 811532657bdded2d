{#-
    One row per message with analytics consent, with the person and the
    company it belongs to as of the event, on the company's and the
    device's clocks: int_events_attributed under an enforced contract (the
    rule is the doc block `person_company_attribution`). Messages without
    consent never reach it (fct_events_anonymous_daily counts them). A
    view: int_events_attributed is incremental and holds the one copy of
    the events (doc block `events_incremental`).
-#}
{{ config(materialized='view') }}
with

attributed as (
    select * from {{ ref('int_events_attributed') }}
    where not coalesce(_is_removed, false)
),

final as (
    select
        -- keys
        message_id,
        person_key,
        company_key,
        -- strings
        person_resolved_by,
        company_resolved_by,
        message_type,
        event_name,
        page_name,
        feature,
        page_path,
        timezone,
        local_timezone,
        device_timezone,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        product_version,
        -- numerics
        server_count,
        instance_count,
        app_count,
        frontend_client_count,
        -- dates
        extract_date,
        local_date,
        -- timestamps (UTC)
        occurred_at,
        received_at,
        -- timestamps (local wall clock)
        occurred_at_local,
        occurred_at_device_local,
        -- run metadata
        _attributed_at
    from attributed
)

select * from final
