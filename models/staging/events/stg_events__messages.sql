{#-
    One row per message (messageId): the first copy received of every message
    that passed its checks. Consent is a column, not a filter: a message
    without analytics consent is here for anonymous counts, with every
    column that identifies a person already null (base_events__messages),
    and later layers read only consented ones for anything about a person
    (doc block `analytics_consent_door`).
-#}
with

base as (
    select * from {{ ref('base_events__messages') }}
    where _reject_reason is null and not _is_duplicate
),

messages as (
    select
        -- ids
        message_id,
        user_id,
        anonymous_id,
        group_id,
        previous_id,
        context_group_id,
        consent_subject_hash,
        -- strings
        message_type,
        event_name,
        page_name,
        feature,
        page_url,
        page_path,
        timezone,
        locale,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_term,
        campaign_content,
        library_name,
        library_version,
        ip,
        trait_email,
        trait_name,
        trait_title,
        trait_plan,
        trait_industry,
        product_version,
        -- numerics
        server_count,
        instance_count,
        app_count,
        frontend_client_count,
        trait_employees,
        -- lists
        property_names,
        -- booleans
        has_analytics_consent,
        -- dates
        extract_date,
        -- timestamps (UTC)
        occurred_at,
        device_timestamp_at,
        sent_at,
        received_at,
        trait_created_at,
        -- raw JSON
        context,
        properties,
        traits,
        -- lineage
        _file as source_file,
        _loaded_at
    from base
)

select * from messages
