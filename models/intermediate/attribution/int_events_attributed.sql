{#-
    One row per message with analytics consent: the one model that takes a
    consented message to its person, its company as of the event, the
    company-local and device-local time and its campaign (doc block
    `person_company_attribution`). The only model that joins messages to
    identity for attribution; marts (fct_events, usage, activity) and
    features read it. Messages without consent never reach it (it reads
    stg_events__messages_consented).

    Incremental (doc block `events_incremental`): a run reattributes only
    the candidates - messages of extract dates that changed and messages
    an attribution input that changed can move (int_event_attribution_input_changes)
    - and writes a row only where the result differs from the row held:
    the new row with the old one's company, local date and time as
    _previous_*, or, for a message gone, a row with _is_removed. Models
    that read it skip _is_removed rows.

    Retention (doc block `event_retention`): a message older than the
    cut-off is neither a candidate nor counted as gone; the post-hook
    deletes it (and its _is_removed row) without a trace, so the daily
    facts keep what they counted.
-#}
-- depends_on: {{ ref('int_event_attribution_input_changes') }}
{{ config(
    post_hook=["{{ delete_aged_out_events('coalesce(occurred_at, _previous_occurred_at)', 'extract_date') }}"],
    **event_fact_config('message_id')
) }}
{%- set since = incremental_watermark('_attributed_at') %}
{%- set retention = event_retention_window() %}
{%- set held_retained = is_retained_event(retention, 'occurred_at', 'extract_date') %}
{%- set compared = [
    'person_key', 'company_key', 'person_resolved_by', 'company_resolved_by',
    'message_type', 'event_name', 'page_name', 'feature', 'page_path', 'timezone',
    'local_timezone', 'device_timezone', 'campaign_source', 'campaign_medium',
    'campaign_name', 'campaign_term', 'campaign_content', 'product_version',
    'server_count', 'instance_count', 'app_count', 'frontend_client_count',
    'extract_date', 'local_date', 'occurred_at', 'received_at',
    'occurred_at_local', 'occurred_at_device_local',
] %}
{%- set message_columns = [
    'message_id', 'user_id', 'anonymous_id', 'group_id', 'context_group_id',
    'message_type', 'event_name', 'page_name', 'feature', 'page_path', 'timezone',
    'campaign_source', 'campaign_medium', 'campaign_name', 'campaign_term',
    'campaign_content', 'product_version', 'server_count', 'instance_count',
    'app_count', 'frontend_client_count', 'extract_date', 'occurred_at',
    'received_at', '_loaded_at',
] %}
{#- Each step below reads the messages (and the rows held) straight from
    the table, selecting only the columns it needs: a CTE of all messages
    read by several steps would be materialized whole (and spilled) before
    any filter could reach it. -#}
with

{% if is_incremental() %}
changed_inputs as (
    select
        input,
        input_key
    from {{ ref('int_event_attribution_input_changes') }}
    where recorded_at > {{ since }}
),

-- extract dates whose consented messages changed: rows written since, or
-- a different number of messages than the table holds (rows gone)
landed_dates as (
    select
        extract_date,
        count(*) as message_count,
        max(_loaded_at) as loaded_at
    from {{ ref('stg_events__messages_consented') }}
    group by extract_date
),

held_dates as (
    select
        extract_date,
        count(*) as message_count
    from {{ this }}
    where not _is_removed and {{ held_retained }}
    group by extract_date
),

changed_dates as (
    select coalesce(landed_dates.extract_date, held_dates.extract_date) as extract_date
    from landed_dates
    full outer join held_dates
        on landed_dates.extract_date = held_dates.extract_date
    where landed_dates.extract_date is null
        or held_dates.extract_date is null
        or landed_dates.loaded_at > {{ since }}
        or landed_dates.message_count <> held_dates.message_count
),

candidates as (
    select message_id
    from {{ ref('stg_events__messages_consented') }}
    where extract_date in (select extract_date from changed_dates)
        or user_id in (select input_key from changed_inputs where input = 'user_id')
        or anonymous_id in (select input_key from changed_inputs where input = 'anonymous_id')
        or coalesce(case when message_type = 'group' then group_id end, context_group_id)
        in (select input_key from changed_inputs where input = 'app_account_id')
        or timezone in (select input_key from changed_inputs where input = 'device_timezone')
    union
    select message_id
    from {{ this }}
    where not _is_removed
        and {{ held_retained }}
        and (
            extract_date in (select extract_date from changed_dates)
            or person_key in (select input_key from changed_inputs where input = 'person_windows')
            or company_key in (
                select input_key from changed_inputs where input = 'company_timezones'
            )
        )
),

messages as (
    select {{ message_columns | join(', ') }}
    from {{ ref('stg_events__messages_consented') }}
    where message_id in (select message_id from candidates)
),
{% else %}
    messages as (
        select {{ message_columns | join(', ') }}
        from {{ ref('stg_events__messages_consented') }}
    ),
{% endif %}

person_identifiers as (
    select
        identifier_type,
        identifier_value,
        person_key
    from {{ ref('int_person_identifiers') }}
    where identifier_type in ('user_id', 'anonymous_id')
),

company_identifiers as (
    select
        identifier_value as app_account_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'app_account_id'
),

company_timezones as (
    select
        company_key,
        timezone,
        is_first,
        valid_from,
        valid_to
    from {{ ref('int_company_timezones') }}
),

device_timezones as (
    select
        raw_text,
        timezone
    from {{ ref('int_timezone_texts_parsed') }}
    where timezone is not null
),

person_companies as (
    select
        person_key,
        company_key,
        resolved_by,
        valid_from,
        valid_to
    from {{ ref('int_person_company_windows') }}
),

-- The user when logged in, else the person the anonymous id was linked to
-- (by any later call), so pre-login events count once linked.
with_person as (
    select
        messages.*,
        coalesce(users.person_key, devices.person_key) as person_key,
        case
            when users.person_key is not null then 'user_id'
            when devices.person_key is not null then 'anonymous_id'
        end as person_resolved_by
    from messages
    left join person_identifiers as users
        on users.identifier_type = 'user_id'
        and messages.user_id = users.identifier_value
    left join person_identifiers as devices
        on devices.identifier_type = 'anonymous_id'
        and messages.anonymous_id = devices.identifier_value
),

-- The account the message names (a group call's groupId, a server-side
-- call's context.groupId), else the person's company at the event: the
-- membership then, or before the first membership that membership's
-- company (int_person_company_windows).
with_company as (
    select
        with_person.*,
        coalesce(
            named_companies.company_key, person_companies.company_key
        ) as company_key,
        case
            when named_companies.company_key is not null and with_person.message_type = 'group'
                then 'group_id'
            when named_companies.company_key is not null then 'context_group_id'
            else person_companies.resolved_by
        end as company_resolved_by
    from with_person
    left join company_identifiers as named_companies
        on coalesce(
            case when with_person.message_type = 'group' then with_person.group_id end,
            with_person.context_group_id
        ) = named_companies.app_account_id
    left join person_companies
        on with_person.person_key = person_companies.person_key
        and {{ person_company_at('person_companies', 'with_person.occurred_at') }}
),

-- The company's zone as of the event (a company that moved keeps its old
-- events in the old zone; an event before the company's first version
-- reads in its first zone); UTC without a company. The device's own zone
-- (context.timezone, parsed) is the person-level view.
with_local_time as (
    select
        with_company.*,
        coalesce(company_timezones.timezone, 'UTC') as zone_at_event,
        device_timezones.timezone as device_timezone
    from with_company
    left join company_timezones
        on with_company.company_key = company_timezones.company_key
        and {{ company_timezone_at('company_timezones', 'with_company.occurred_at') }}
    left join device_timezones
        on with_company.timezone = device_timezones.raw_text
),

final as (
    select
        -- keys
        cast(message_id as varchar) as message_id,
        cast(person_key as varchar) as person_key,
        cast(company_key as varchar) as company_key,
        -- strings
        cast(person_resolved_by as varchar) as person_resolved_by,
        cast(company_resolved_by as varchar) as company_resolved_by,
        message_type,
        event_name,
        page_name,
        feature,
        page_path,
        timezone,
        cast(zone_at_event as varchar) as local_timezone,
        cast(device_timezone as varchar) as device_timezone,
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
        cast({{ utc_to_local('occurred_at', 'zone_at_event') }} as date) as local_date,
        -- timestamps (UTC)
        occurred_at,
        received_at,
        -- timestamps (local wall clock)
        {{ utc_to_local('occurred_at', 'zone_at_event') }} as occurred_at_local,
        {{ utc_to_local('occurred_at', 'device_timezone') }} as occurred_at_device_local
    from with_local_time
),

{% if is_incremental() %}
-- the rows held for the candidates
before as (
    select held.*
    from {{ this }} as held
    inner join candidates
        on held.message_id = candidates.message_id
),

changes as (
    select
        final.*,
        false as _is_removed,
        before.company_key as _previous_company_key,
        before.local_date as _previous_local_date,
        before.occurred_at as _previous_occurred_at,
        before._attributed_at as _previous_attributed_at
    from final
    left join before
        on final.message_id = before.message_id
    where before.message_id is null
        or before._is_removed
        {%- for c in compared %}
        or final.{{ c }} is distinct from before.{{ c }}
        {%- endfor %}
    union all
    select
        before.message_id,
        {%- for c in compared %}
        {%- if c == 'extract_date' %}
        before.extract_date,
        {%- else %}
        null as {{ c }},
        {%- endif %}
        {%- endfor %}
        true as _is_removed,
        before.company_key as _previous_company_key,
        before.local_date as _previous_local_date,
        before.occurred_at as _previous_occurred_at,
        before._attributed_at as _previous_attributed_at
    from before
    where not before._is_removed
        and not exists (select 1 from final where final.message_id = before.message_id)
),
{% else %}
    changes as (
        select
            final.*,
            false as _is_removed,
            cast(null as varchar) as _previous_company_key,
            cast(null as date) as _previous_local_date,
            cast(null as timestamp) as _previous_occurred_at,
            cast(null as timestamp) as _previous_attributed_at
        from final
    ),
{% endif %}

recorded as (
    select
        changes.*,
        {{ run_started_at_utc() }} as _attributed_at
    from changes
)

select * from recorded
