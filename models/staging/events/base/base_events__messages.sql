{#-
    Every landed Segment/RudderStack message row, typed, with its JSON parsed
    once into columns, the first check it fails (if any) and whether it is a
    retried copy of a message already kept. Feeds stg_events__messages (good,
    first copy), ops.rejected_rows (bad) and ops.load_reconciliation (counts
    per partition). The only model that parses the messages' JSON.

    A message without analytics consent keeps nothing that identifies a
    person (doc block `analytics_consent_door`): its ids, IP, URLs, person
    traits and raw JSON are nulled once its checks are made, and only a
    keyed hash of its user id (else anonymous id) stays, so that a refusal
    can still be honoured.

    Events older than the retention cut-off are not loaded, and leave the
    table when the cut-off passes them (doc block `event_retention`).
-#}
-- depends_on: {{ ref('landing_views') }}
{{ config(**landing_base_config()) }}
{{ config(post_hook=["{{ delete_aged_out_events('occurred_at', 'extract_date') }}"]) }}
{%- set retention = event_retention_window() %}
{%- set plan = landing_load_plan('events', 'messages', retention['cutoff']) %}

with

source as (
    select * from {{ source('events', 'messages') }}
    where {{ landing_partition_filter(plan) }}
),

-- messages of a person erased on request (doc block `erasure`) are
-- withheld from every load, counted in ops.load_reconciliation as erased
erased as (
    {{ erased_values('source', erasure_columns('events', 'messages')) }}
),

kept as (
    select * from source
    where not {{ is_erased('erased', erasure_columns('events', 'messages')) }}
),

-- each JSON column is validated once here and parsed once below
json_checked as (
    select
        *,
        {{ try_parse_json("nullif(trim(context), '')") }} as _context_json,
        {{ try_parse_json("nullif(trim(properties), '')") }} as _properties_json,
        {{ try_parse_json("nullif(trim(traits), '')") }} as _traits_json
    from kept
),

json_parsed as (
    select
        *,
        {{ json_to_struct('_context_json', {
            'timezone': 'varchar',
            'locale': 'varchar',
            'ip': 'varchar',
            'groupId': 'varchar',
            'page': {'url': 'varchar', 'path': 'varchar'},
            'campaign': {
                'source': 'varchar', 'medium': 'varchar', 'name': 'varchar',
                'term': 'varchar', 'content': 'varchar',
            },
            'library': {'name': 'varchar', 'version': 'varchar'},
            'consent': {'categoryPreferences': {'analytics': 'varchar'}},
        }) }} as _context_fields,
        {{ json_to_struct('_properties_json', {
            'feature': 'varchar',
            'url': 'varchar',
            'path': 'varchar',
            'version': 'varchar',
            'servers': 'bigint',
            'instances': 'bigint',
            'apps': 'bigint',
            'frontend_clients': 'bigint',
        }) }} as _property_fields,
        {{ json_to_struct('_traits_json', {
            'email': 'varchar',
            'name': 'varchar',
            'title': 'varchar',
            'plan': 'varchar',
            'industry': 'varchar',
            'employees': 'bigint',
            'createdAt': 'varchar',
        }) }} as _trait_fields
    from json_checked
),

typed as (
    select
        -- ids
        nullif(trim("messageId"), '') as message_id,
        nullif(trim("userId"), '') as user_id,
        nullif(trim("anonymousId"), '') as anonymous_id,
        nullif(trim("groupId"), '') as group_id,
        nullif(trim("previousId"), '') as previous_id,
        nullif(trim(_context_fields.groupId), '') as context_group_id,
        -- strings
        lower(trim("type")) as message_type,
        "event" as event_name,
        "name" as page_name,
        _property_fields.feature as feature,
        coalesce(_context_fields.page.url, _property_fields.url) as page_url,
        coalesce(
            _property_fields.path,
            _context_fields.page.path,
            {{ url_path('coalesce(_context_fields.page.url, _property_fields.url)') }}
        ) as page_path,
        _context_fields.timezone as timezone,
        _context_fields.locale as locale,
        _context_fields.campaign.source as campaign_source,
        _context_fields.campaign.medium as campaign_medium,
        _context_fields.campaign.name as campaign_name,
        _context_fields.campaign.term as campaign_term,
        _context_fields.campaign.content as campaign_content,
        _context_fields.library.name as library_name,
        _context_fields.library.version as library_version,
        _context_fields.ip as ip,
        _trait_fields.email as trait_email,
        _trait_fields.name as trait_name,
        _trait_fields.title as trait_title,
        _trait_fields.plan as trait_plan,
        _trait_fields.industry as trait_industry,
        -- the product configuration, only on Telemetry Reported track calls
        case when "event" = 'Telemetry Reported' then _property_fields.version end
            as product_version,
        -- numerics
        case when "event" = 'Telemetry Reported' then _property_fields.servers end
            as server_count,
        case when "event" = 'Telemetry Reported' then _property_fields.instances end
            as instance_count,
        case when "event" = 'Telemetry Reported' then _property_fields.apps end
            as app_count,
        case when "event" = 'Telemetry Reported' then _property_fields.frontend_clients end
            as frontend_client_count,
        _trait_fields.employees as trait_employees,
        -- lists
        -- the properties a message carries, without their values: what
        -- tracking-plan checks need from a message without consent too
        {{ json_present_keys('_properties_json') }} as property_names,
        -- booleans
        -- only an explicit `false` withdraws consent; an absent consent
        -- object or analytics key means consent given (the spec)
        coalesce(
            lower(_context_fields.consent.categoryPreferences.analytics) <> 'false',
            true
        ) as has_analytics_consent,
        -- timestamps (UTC)
        {{ iso_to_utc('"timestamp"') }} as device_timestamp_at,
        {{ iso_to_utc("nullif(trim(\"sentAt\"), '')") }} as sent_at,
        {{ iso_to_utc('"receivedAt"') }} as received_at,
        {{ iso_to_utc('_trait_fields.createdAt') }} as trait_created_at,
        -- raw JSON, for properties no column carries yet
        _context_json as context,
        _properties_json as properties,
        _traits_json as traits,
        -- raw values, for reject messages
        cast("messageId" as varchar) as _record_key,
        "type" as _raw_type,
        "timestamp" as _raw_timestamp,
        nullif(trim("sentAt"), '') as _raw_sent_at,
        "receivedAt" as _raw_received_at,
        nullif(trim(context), '') as _raw_context,
        nullif(trim(properties), '') as _raw_properties,
        nullif(trim(traits), '') as _raw_traits,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from json_parsed
),

-- when the event happened: the device clock is only trusted for the time
-- between the event and the batch being sent (Segment's skew correction)
timed as (
    select
        *,
        case
            when sent_at is not null
                then received_at - (sent_at - device_timestamp_at)
            else device_timestamp_at
        end as occurred_at
    from typed
),

checked as (
    select
        *,
        {{ reject_columns([
            {'fails': 'message_id is null', 'column': 'messageId',
             'value': '_record_key', 'reason': 'null key'},
            {'fails': "message_type is null or message_type not in"
                ~ " ('identify', 'track', 'page', 'screen', 'group', 'alias')",
             'column': 'type', 'value': '_raw_type', 'reason': 'unknown message type'},
            {'fails': '_raw_received_at is null', 'column': 'receivedAt',
             'value': '_raw_received_at', 'reason': 'missing timestamp'},
            {'fails': 'received_at is null', 'column': 'receivedAt',
             'value': '_raw_received_at', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_timestamp is null', 'column': 'timestamp',
             'value': '_raw_timestamp', 'reason': 'missing timestamp'},
            {'fails': 'device_timestamp_at is null', 'column': 'timestamp',
             'value': '_raw_timestamp', 'reason': 'unparseable timestamp'},
            {'fails': '_raw_sent_at is not null and sent_at is null',
             'column': 'sentAt', 'value': '_raw_sent_at',
             'reason': 'unparseable timestamp'},
            {'fails': '_raw_context is not null and context is null',
             'column': 'context', 'value': '_raw_context', 'reason': 'invalid JSON'},
            {'fails': '_raw_properties is not null and properties is null',
             'column': 'properties', 'value': '_raw_properties',
             'reason': 'invalid JSON'},
            {'fails': '_raw_traits is not null and traits is null',
             'column': 'traits', 'value': '_raw_traits', 'reason': 'invalid JSON'},
        ]) }}
    from timed
),

-- who refused, as a keyed hash only: the user id, else the anonymous id, of
-- each message without consent, hashed once per distinct value of the batch
refused_subjects as (
    select distinct coalesce(user_id, anonymous_id) as consent_subject
    from checked
    where not has_analytics_consent
        and coalesce(user_id, anonymous_id) is not null
),

subject_hashes as (
    select
        consent_subject,
        {{ identifier_hash('consent_subject') }} as consent_subject_hash
    from refused_subjects
),

with_subjects as (
    select
        checked.*,
        subject_hashes.consent_subject_hash
    from checked
    left join subject_hashes
        on not checked.has_analytics_consent
        and coalesce(checked.user_id, checked.anonymous_id)
        = subject_hashes.consent_subject
),

-- a message without analytics consent keeps only what anonymous counts,
-- tracking-plan quality, dedupe and reconciliation need: every column that
-- names or locates a person (ids, IP, URLs, person traits, campaign
-- term/content, raw JSON) is nulled here, after its checks were made
final as (
    select
        -- ids
        message_id,
        case when has_analytics_consent then user_id end as user_id,
        case when has_analytics_consent then anonymous_id end as anonymous_id,
        -- an app account, not a person, but a one-person workspace would
        -- name its person: nulled too
        case when has_analytics_consent then group_id end as group_id,
        case when has_analytics_consent then previous_id end as previous_id,
        case when has_analytics_consent then context_group_id end
            as context_group_id,
        consent_subject_hash,
        -- strings
        message_type,
        event_name,
        page_name,
        feature,
        -- URLs carry emails, tokens and record ids
        case when has_analytics_consent then page_url end as page_url,
        case when has_analytics_consent then page_path end as page_path,
        timezone,
        locale,
        campaign_source,
        campaign_medium,
        campaign_name,
        -- utm_term / utm_content are often per recipient (an email, an id)
        case when has_analytics_consent then campaign_term end as campaign_term,
        case when has_analytics_consent then campaign_content end
            as campaign_content,
        library_name,
        library_version,
        case when has_analytics_consent then ip end as ip,
        case when has_analytics_consent then trait_email end as trait_email,
        case when has_analytics_consent then trait_name end as trait_name,
        case when has_analytics_consent then trait_title end as trait_title,
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
        -- timestamps (UTC)
        occurred_at,
        device_timestamp_at,
        sent_at,
        received_at,
        -- a sign-up instant joins back to the person's app user
        case when has_analytics_consent then trait_created_at end
            as trait_created_at,
        -- raw JSON
        case when has_analytics_consent then context end as context,
        case when has_analytics_consent then properties end as properties,
        case when has_analytics_consent then traits end as traits,
        -- checks
        _record_key,
        _reject_column,
        -- the raw text of a rejected JSON column is personal like the JSON
        case
            when has_analytics_consent then _reject_value
            when _reject_column not in ('context', 'properties', 'traits')
                then _reject_value
        end as _reject_value,
        _reject_reason,
        -- lineage
        extract_date,
        _load_mode,
        _extracted_at,
        _file,
        _file_row,
        _partition_fingerprint
    from with_subjects
    where {{ is_retained_event(retention, 'occurred_at') }}
),

-- a retried message lands again, in the same or a later partition: the
-- first copy received is kept
{{ landing_deduplicated('final', plan) }}
