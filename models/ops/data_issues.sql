{#-
    One row per problem found in the source data that the pipeline worked
    around (rather than rejecting a row): what, which entity, how we handled
    it. Each branch is a CTE over the model that found the issue; a new kind
    of issue adds a branch here and its issue_type to the accepted values in
    _ops__models.yml.
-#}
{%- set toggle_events = var('feature_toggle_on_events') + var('feature_toggle_off_events') %}

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
    select
        raw_text,
        parse_rule
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
    from {{ ref('stg_seeds__company_timezones') }} as seeds
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
    from {{ ref('stg_seeds__company_timezones') }} as seeds
    where trim(seeds.company_id) not in (
            select company_id from {{ ref('int_company_seed_ids') }}
        )
),

device_timezones as (
    select
        'unparseable_timezone' as issue_type,
        'device_timezone' as entity_type,
        raw_text as entity_id,
        'context.timezone ''' || raw_text || ''' on ' || event_message_count
        || ' messages is not a time zone we can parse; those events carry no'
        || ' device_timezone and are no evidence for a company''s zone.' as detail
    from {{ ref('int_timezone_texts_parsed') }}
    where event_message_count > 0
        and parse_rule in ('unparseable', 'empty')
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

-- feature access (models/intermediate/features): seed rows that cannot be
-- used or that break the seed's rules
feature_overrides as (
    select
        case
            when invalid_reason = 'unknown company_id' then 'unknown_company_id'
            else 'invalid_feature_override'
        end as issue_type,
        'seed:feature_access_overrides.csv' as entity_type,
        coalesce(company_id, '(empty)') as entity_id,
        'row (company_id '
        || coalesce('''' || raw_company_id || '''', 'empty')
        || ', feature ' || coalesce('''' || raw_feature || '''', 'empty')
        || ', access ' || coalesce('''' || raw_access || '''', 'empty')
        || ', starts_on ' || coalesce('''' || raw_starts_on || '''', 'empty')
        || ', ends_on ' || coalesce('''' || raw_ends_on || '''', 'empty')
        || '): ' || case
            when invalid_reason = 'unknown company_id'
                then 'matches no company key, CRM Account Id, app account id or Stripe customer id'
            else invalid_reason
        end
        || '; the row is not used' as detail
    from {{ ref('int_feature_access_overrides') }}
    where invalid_reason is not null
),

feature_override_overlaps as (
    select
        'overlapping_feature_overrides' as issue_type,
        'seed:feature_access_overrides.csv' as entity_type,
        company_id as entity_id,
        'row (' || company_id || ', ' || feature
        || ', ' || access || ', ' || cast(starts_on as varchar) || ' to '
        || coalesce(cast(ends_on as varchar), 'open')
        || ') overlaps another row of the same company and feature;'
        || ' both are used (a revoke beats a grant, grants merge)' as detail
    from {{ ref('int_feature_access_overrides') }}
    where is_usable and overlaps_another_row
),

unknown_features as (
    select
        'unknown_feature' as issue_type,
        'feature' as entity_type,
        seen.feature as entity_id,
        'feature ''' || seen.feature || ''' is in ' || seen.seen_in
        || ' but in neither plan_entitlements.csv nor event_dictionary.csv;'
        || ' its windows are kept' as detail
    from (
        select distinct
            feature,
            'seeds/feature_access_overrides.csv' as seen_in
        from {{ ref('int_feature_access_overrides') }}
        where is_usable and not is_known_feature
        union
        select distinct
            toggles.feature,
            'Feature Enabled/Disabled events' as seen_in
        from {{ ref('int_feature_windows_from_toggles') }} as toggles
        left join {{ ref('int_features') }} as features
            on toggles.feature = features.feature
        where features.feature is null
    ) as seen
),

plans_seen as (
    select
        plan,
        count(distinct subscription_id) as subscription_count,
        min(extract_date) as first_extract_date,
        max(extract_date) as last_extract_date
    from {{ ref('int_subscription_item_plans') }}
    where plan is not null
    group by plan
),

entitlement_plans as (
    select distinct lower(trim(plan)) as plan
    from {{ ref('stg_seeds__plan_entitlements') }}
),

unmapped_plans as (
    select
        'unmapped_plan' as issue_type,
        'plan' as entity_type,
        plans_seen.plan as entity_id,
        'plan ''' || plans_seen.plan || ''' (metadata.plan) is on '
        || cast(plans_seen.subscription_count as varchar)
        || ' subscription(s) (extracts ' || cast(plans_seen.first_extract_date as varchar)
        || ' to ' || cast(plans_seen.last_extract_date as varchar)
        || ') but has no row in plan_entitlements.csv: it grants no feature' as detail
    from plans_seen
    left join entitlement_plans
        on plans_seen.plan = entitlement_plans.plan
    where entitlement_plans.plan is null
),

prices_without_plan as (
    select
        'price_without_plan' as issue_type,
        'billing_price' as entity_type,
        price_id as entity_id,
        'price on ' || cast(count(distinct subscription_id) as varchar)
        || ' subscription(s) (extracts ' || cast(min(extract_date) as varchar)
        || ' to ' || cast(max(extract_date) as varchar) || ') '
        || case
            when max(product_id) is null then 'is in no prices extract'
            else 'belongs to product ' || max(product_id) || ', which has no metadata.plan'
        end
        || ': the item grants no feature' as detail
    from {{ ref('int_subscription_item_plans') }}
    where plan is null
    group by price_id
),

-- Revenue: subscription items that cannot count in MRR (doc block
-- `mrr_rules`): left out, the subscription's other items still count
mrr_items as (
    select
        mrr_issue as issue_type,
        'billing_subscription' as entity_type,
        subscription_id as entity_id,
        'item ' || coalesce(item_id, '(no id)') || ' (price ' || coalesce(price_id, '(none)')
        || ') '
        || case mrr_issue
            when 'missing_price' then 'has a price that is in no prices extract'
            when 'currency_mismatch'
                then 'is priced in ' || coalesce(max(price_currency), '?')
                    || ', the subscription in ' || coalesce(max(currency), '?')
            when 'price_without_interval' then 'has a price without a recurring interval'
            when 'price_without_amount' then 'has a price without a unit amount (tiered or metered)'
            when 'missing_quantity' then 'has no quantity'
            when 'negative_quantity'
                then 'has a negative quantity (' || cast(min(quantity) as varchar) || ')'
        end
        || ' in extracts ' || cast(min(extract_date) as varchar) || ' to '
        || cast(max(extract_date) as varchar) || ': left out of MRR' as detail
    from {{ ref('int_subscription_item_mrr') }}
    where mrr_issue is not null
    group by mrr_issue, subscription_id, item_id, price_id
),

-- a month and currency with MRR but no rate in fx_rates.csv: its
-- reporting amounts are null (the months each MRR window spans)
mrr_currency_months as (
    select distinct
        windows.currency,
        days.month_start_date as month
    from {{ ref('int_subscription_mrr_windows') }} as windows
    inner join {{ ref('int_calendar_days') }} as days
        on days.calendar_date = days.month_start_date
        and cast({{ dbt.dateadd('month', 1, 'days.calendar_date') }} as timestamp)
        > windows.valid_from
        and (windows.valid_to is null or cast(days.calendar_date as timestamp) < windows.valid_to)
        and days.calendar_date <= (
            select max(extract_date) from {{ ref('int_subscription_observations') }}
        )
    where windows.company_key is not null
),

missing_fx_rates as (
    select
        'missing_fx_rate' as issue_type,
        'currency' as entity_type,
        mrr_currency_months.currency as entity_id,
        'no rate to ' || {{ reporting_currency() }} || ' for ' || mrr_currency_months.currency
        || ' in month ' || cast(mrr_currency_months.month as varchar)
        || ', a month with MRR in it: reporting amounts of that month are null.'
        || ' Add the rate to seeds/fx_rates.csv' as detail
    from mrr_currency_months
    left join {{ ref('int_fx_rates_monthly') }} as rates
        on mrr_currency_months.currency = rates.currency
        and mrr_currency_months.month = rates.month
    where rates.currency is null
),

-- a StageName the opportunity_stages seed does not list: no probability
unknown_opportunity_stages as (
    select
        'unknown_opportunity_stage' as issue_type,
        'crm_opportunity' as entity_type,
        opportunities.opportunity_id as entity_id,
        'StageName ''' || coalesce(opportunities.stage_name, '') || ''' is not in'
        || ' seeds/opportunity_stages.csv: the opportunity has no probability and no'
        || ' expected revenue. Add the stage (with its order and probability) to the seed'
            as detail
    from {{ ref('stg_crm__opportunities') }} as opportunities
    left join {{ ref('stg_seeds__opportunity_stages') }} as stages
        on lower(trim(opportunities.stage_name)) = stages.stage_key
    where stages.stage_key is null
        and not coalesce(opportunities.is_deleted, false)
        and not coalesce(opportunities.is_hard_deleted, false)
),

-- a campaign source and medium no rule of channel_groups.csv matches:
-- its touches have channel unassigned
unassigned_campaign_channels as (
    select
        'unassigned_campaign_channel' as issue_type,
        'campaign_source_medium' as entity_type,
        source_key || ' / ' || medium_key as entity_id,
        'utm_source ''' || source_key || ''' with utm_medium ''' || medium_key || ''' on '
        || cast(touch_count as varchar) || ' campaign touches matches no rule of'
        || ' seeds/channel_groups.csv: channel unassigned. Add a rule for it' as detail
    from {{ ref('int_campaign_channels') }}
    where is_unassigned
),

subscriptions_without_company as (
    select distinct
        'subscription_without_company' as issue_type,
        'billing_subscription' as entity_type,
        subscription_id as entity_id,
        'customer ' || coalesce(customer_id, '(unknown)')
        || ' belongs to no company in int_company_identifiers:'
        || ' its plan grants no feature' as detail
    from {{ ref('int_subscription_plan_windows') }}
    where company_key is null
),

toggles_without_company as (
    select
        'toggle_without_company' as issue_type,
        'event_message' as entity_type,
        message_id as entity_id,
        event_name || ' of ''' || coalesce(feature, '(no feature)') || ''' at '
        || cast(occurred_at as varchar)
        || ' UTC: no company (no groupId, and no person or no membership of the person'
        || ' then or later);'
        || ' the switch is not used' as detail
    from {{ ref('int_events_attributed') }}
    where message_type = 'track'
        and company_key is null
        and event_name in (
            {%- for name in toggle_events %}
                '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
),

event_dictionary_rows as (
    select
        'invalid_event_dictionary_row' as issue_type,
        'seed:event_dictionary.csv' as entity_type,
        coalesce(event_name, '(empty)') as entity_id,
        invalid_reason as detail
    from {{ ref('int_event_dictionary') }}
    where invalid_reason is not null
),

-- Stripe customers whose evidence is ambiguous or contradicts the metadata:
-- never merged (billing_customer_evidence doc)
billing_customer_evidence as (
    select
        evidence_status as issue_type,
        'billing_customer' as entity_type,
        customer_id as entity_id,
        detail
    from {{ ref('int_billing_customer_evidence') }}
    where evidence_status in (
            'email_shared_by_several_people',
            'person_in_several_companies',
            'domain_owned_by_several_companies',
            'evidence_contradicts_metadata'
        )
),

-- conflicting duplicates: one dedup key landed twice with different content
-- (ops.duplicate_conflicts); one copy is kept, the other is reported here
duplicate_conflicts as (
    select
        'conflicting_duplicate' as issue_type,
        entity_type,
        record_key as entity_id,
        cast(copy_count as varchar) || ' copies of ' || source_table || ' ' || dedup_key
        || ' differ in ' || differing_columns || ': kept ' || kept_copy || ' ('
        || kept_file || ' row ' || cast(kept_file_row as varchar) || '), dropped '
        || other_file || ' row ' || cast(other_file_row as varchar)
        || case
            when copy_count > 2
                then ' and ' || cast(copy_count - 2 as varchar) || ' more'
            else ''
        end as detail
    from {{ ref('duplicate_conflicts') }}
),

-- CRM versions that a later extract carries with an older SystemModstamp
-- than a version an earlier extract already had (a stale replica, a
-- re-sent old row): the newest SystemModstamp still wins, history keeps
-- both in SystemModstamp order
{% for table, id_column, entity_type in [
    ('accounts', 'account_id', 'crm_account'),
    ('contacts', 'contact_id', 'crm_contact'),
    ('users', 'user_id', 'crm_user'),
    ('opportunities', 'opportunity_id', 'crm_opportunity'),
] %}
    crm_{{ table }}_versions as (
        select
            {{ id_column }} as record_id,
            system_modified_at,
            extract_date,
            source_file
        from {{ ref('stg_crm__' ~ table ~ '_versions') }}
    ),

    crm_{{ table }}_regressions as (
        select
            later.record_id,
            later.system_modified_at,
            later.extract_date,
            later.source_file,
            earlier.system_modified_at as earlier_system_modified_at,
            earlier.extract_date as earlier_extract_date,
            earlier.source_file as earlier_source_file,
            row_number() over (
                partition by later.record_id, later.system_modified_at
                order by earlier.system_modified_at desc, earlier.extract_date desc
            ) as newest_earlier_rank
        from crm_{{ table }}_versions as later
        inner join crm_{{ table }}_versions as earlier
            on later.record_id = earlier.record_id
            and later.extract_date > earlier.extract_date
            and later.system_modified_at < earlier.system_modified_at
    ),

    crm_{{ table }}_out_of_order as (
        select
            'crm_version_out_of_order' as issue_type,
            '{{ entity_type }}' as entity_type,
            record_id as entity_id,
            'the version with SystemModstamp ' || cast(system_modified_at as varchar)
            || ' UTC in ' || source_file || ' (extract ' || cast(extract_date as varchar)
            || ') is older than the version with SystemModstamp '
            || cast(earlier_system_modified_at as varchar) || ' UTC already in '
            || earlier_source_file || ' (extract ' || cast(earlier_extract_date as varchar)
            || '): the newer SystemModstamp stays current; history keeps both in'
            || ' SystemModstamp order' as detail
        from crm_{{ table }}_regressions
        where newest_earlier_rank = 1
    ),
{% endfor %}

unioned as (
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from hierarchy_edges
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from crm_timezones
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from seed_timezones
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from seed_companies
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from device_timezones
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from industry_edges
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from industry_nodes
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from crm_industry_values
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from company_classification_rows
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from feature_overrides
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from feature_override_overlaps
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from unknown_features
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from unmapped_plans
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from prices_without_plan
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from subscriptions_without_company
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from mrr_items
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from missing_fx_rates
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from unknown_opportunity_stages
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from unassigned_campaign_channels
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from toggles_without_company
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from event_dictionary_rows
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from billing_customer_evidence
    union all
    select
        issue_type,
        entity_type,
        entity_id,
        detail
    from duplicate_conflicts
    {%- for table in ['accounts', 'contacts', 'users', 'opportunities'] %}
        union all
        select
            issue_type,
            entity_type,
            entity_id,
            detail
        from crm_{{ table }}_out_of_order
    {%- endfor %}
),

-- the analytics file gets this table: no email in it, even a shared
-- mailbox's (docs/privacy.md)
final as (
    select
        issue_type,
        entity_type,
        {{ withhold_emails('entity_id') }} as entity_id,
        {{ withhold_emails('detail') }} as detail,
        {{ run_started_at_utc() }} as detected_at
    from unioned
)

select * from final
