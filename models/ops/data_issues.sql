{#-
    One row per problem found in the source data that the pipeline worked
    around (rather than rejecting a row): what, which entity, how we handled
    it. Each branch is a CTE over the model that found the issue; a new kind
    of issue adds a branch here and its issue_type to the accepted values in
    _ops__models.yml.
-#}
with

hierarchy_edges as (
    select
        edge_status as issue_type,
        'crm_account' as entity_type,
        crm_account_id as entity_id,
        detail
    from {{ ref('int_company_parent_edges') }}
    where edge_status in ('hierarchy_cycle', 'dangling_parent', 'hierarchy_too_deep')
),

parsed_timezones as (
    select raw_text, parse_rule
    from {{ ref('int_timezone_texts_parsed') }}
),

-- Time zones typed by people that no rule understands: the value is
-- ignored and the next source in the precedence decides
crm_timezones as (
    select
        'unparseable_timezone' as issue_type,
        'crm_account' as entity_type,
        accounts.account_id as entity_id,
        'Time_Zone__c ''' || accounts.time_zone_text || ''' is not a time zone we can parse;'
            || ' ignored (the next source decides). Fix it in the CRM, or add an alias'
            || ' to seeds/timezone_aliases.csv.' as detail
    from {{ ref('stg_crm__accounts') }} as accounts
    inner join parsed_timezones
        on accounts.time_zone_text = parsed_timezones.raw_text
    where parsed_timezones.parse_rule = 'unparseable'
),

seed_timezones as (
    select
        'unparseable_timezone' as issue_type,
        'seed:company_timezones.csv' as entity_type,
        seeds.company_id as entity_id,
        'timezone ''' || seeds.timezone || ''' is not a time zone we can parse; row ignored.'
            || ' Use an IANA name such as Europe/Berlin.' as detail
    from {{ ref('company_timezones') }} as seeds
    inner join parsed_timezones
        on seeds.timezone = parsed_timezones.raw_text
    where parsed_timezones.parse_rule in ('unparseable', 'empty')
),

seed_companies as (
    select
        'unknown_company_id' as issue_type,
        'seed:company_timezones.csv' as entity_type,
        seeds.company_id as entity_id,
        'company_id ''' || seeds.company_id || ''' is not a company key, CRM account Id,'
            || ' app account id or Stripe customer id we know; row ignored.' as detail
    from {{ ref('company_timezones') }} as seeds
    where trim(seeds.company_id) not in (
        select company_id from {{ ref('int_company_seed_ids') }}
    )
),

device_timezones as (
    select
        'unparseable_timezone' as issue_type,
        'device_timezone' as entity_type,
        messages.timezone as entity_id,
        'context.timezone ''' || messages.timezone || ''' on ' || count(*)
            || ' messages is not a time zone we can parse; those events carry no'
            || ' device_timezone and are no evidence for a company''s zone.' as detail
    from {{ ref('stg_events__messages') }} as messages
    inner join parsed_timezones
        on messages.timezone = parsed_timezones.raw_text
    where parsed_timezones.parse_rule in ('unparseable', 'empty')
    group by messages.timezone
),

industry_edges as (
    select
        edge_status as issue_type,
        'industry' as entity_type,
        industry_code as entity_id,
        detail
    from {{ ref('int_industry_edges') }}
    where edge_status in ('unknown_industry_code', 'industry_cycle', 'industry_level_mismatch')
),

industry_nodes as (
    select
        node_status as issue_type,
        'industry' as entity_type,
        industry_code as entity_id,
        detail
    from {{ ref('int_industries') }}
    where node_status in ('industry_without_parent', 'ambiguous_primary_parent')
),

crm_industry_values as (
    select
        case mapping_status
            when 'unmapped' then 'unmapped_crm_industry'
            else mapping_status
        end as issue_type,
        'crm_industry_value' as entity_type,
        crm_value as entity_id,
        'CRM Industry ' || crm_value
        || case
            when spelling_count > 1
                then ' (and ' || cast(spelling_count - 1 as varchar) || ' other spellings)'
            else ''
        end
        || ', on ' || cast(company_count as varchar) || ' companies ('
        || cast(current_company_count as varchar) || ' today), '
        || case mapping_status
            when 'unmapped' then 'has no row in crm_industry_map.csv'
            else 'maps to ' || mapped_industry_code
                || ', which is not a code in industry_taxonomy.csv'
        end
        || '; they get no industry from the CRM' as detail
    from {{ ref('int_crm_industry_values') }}
    where mapping_status in ('unmapped', 'unknown_industry_code')
),

company_classification_rows as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from {{ ref('int_company_classification_checks') }}
),

unioned as (
    select issue_type, entity_type, entity_id, detail
    from hierarchy_edges
    union all
    select issue_type, entity_type, entity_id, detail
    from crm_timezones
    union all
    select issue_type, entity_type, entity_id, detail
    from seed_timezones
    union all
    select issue_type, entity_type, entity_id, detail
    from seed_companies
    union all
    select issue_type, entity_type, entity_id, detail
    from device_timezones
    union all
    select issue_type, entity_type, entity_id, detail
    from industry_edges
    union all
    select issue_type, entity_type, entity_id, detail
    from industry_nodes
    union all
    select issue_type, entity_type, entity_id, detail
    from crm_industry_values
    union all
    select issue_type, entity_type, entity_id, detail
    from company_classification_rows
),

final as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail,
        {{ run_started_at_utc() }} as detected_at
    from unioned
)

select * from final
