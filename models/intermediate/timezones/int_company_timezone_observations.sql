{#-
    One row per observation of a company's time zone, keyed by company,
    from five timelines in precedence order (doc block
    `company_timezone_precedence`):
      1 seed     the CS team's seed company_timezones (effective_from, else
                 since the company began);
      2 crm      Time_Zone__c as parsed, at each account version's
                 SystemModstamp (an empty or unparseable value is null: it
                 falls through to the next timeline);
      3 events   the zone inferred from the company's people's devices;
      4 country  the zone of the company's resolved billing country when
                 that country has exactly one (null otherwise);
      5 default  UTC, from the company's beginning.
    No observation is earlier than the company's born_at.
-#}
with

seed_rows as (
    select
        company_id,
        timezone as raw_text,
        effective_from
    from {{ ref('stg_seeds__company_timezones') }}
),

seed_ids as (
    select
        company_id,
        company_key
    from {{ ref('int_company_seed_ids') }}
),

first_observations as (
    select
        company_key,
        born_at
    from {{ ref('int_company_first_observations') }}
),

crm_observations as (
    select
        identifier_type,
        identifier_value,
        attribute_value as raw_text,
        observed_at
    from {{ ref('int_company_attribute_observations') }}
    where attribute = 'time_zone_text'
),

company_identifiers as (
    select
        identifier_type,
        identifier_value,
        company_key
    from {{ ref('int_company_identifiers') }}
),

parsed_texts as (
    select
        raw_text,
        timezone
    from {{ ref('int_timezone_texts_parsed') }}
),

inferences as (
    select
        company_key,
        timezone,
        inferred_at
    from {{ ref('int_company_timezone_inferences') }}
),

country_changes as (
    select
        company_key,
        new_value as country_text,
        changed_at
    from {{ ref('int_company_attribute_changes') }}
    where attribute = 'billing_country'
),

countries as (
    select
        country_code,
        country_code_alpha3,
        country_name,
        timezone
    from {{ ref('stg_seeds__countries') }}
),

country_aliases as (
    select
        alias,
        country_code
    from {{ ref('stg_seeds__country_aliases') }}
),

-- every way a country may be written -> its code
country_keys as (
    select
        lower(country_code) as country_key,
        country_code
    from countries
    union
    select
        lower(country_code_alpha3) as country_key,
        country_code
    from countries
    union
    select
        {{ normalize_label('country_name') }},
        country_code
    from countries
    union
    select
        {{ normalize_label('alias') }},
        country_code
    from country_aliases
),

-- a spelling that could mean two countries means neither
unambiguous_country_keys as (
    select
        country_key,
        min(country_code) as country_code
    from country_keys
    group by country_key
    having count(distinct country_code) = 1
),

-- the seed names a company by any id we know, or by a company key ever issued
seed_companies as (
    select
        seed_rows.company_id,
        seed_rows.raw_text,
        seed_rows.effective_from,
        seed_ids.company_key
    from seed_rows
    inner join seed_ids
        on trim(seed_rows.company_id) = seed_ids.company_id
),

seed_observations as (
    select distinct
        seed_companies.company_key,
        seed_companies.company_id as identifier_value,
        parsed_texts.timezone as attribute_value,
        coalesce(
            {{ local_to_utc(
                'cast(seed_companies.effective_from as timestamp)', 'parsed_texts.timezone'
            ) }},
            first_observations.born_at
        ) as observed_at,
        'seed' as timezone_source,
        'seed:company_timezones.csv' as source,
        1 as source_precedence,
        'company_timezones' as source_model
    from seed_companies
    inner join first_observations
        on seed_companies.company_key = first_observations.company_key
    inner join parsed_texts
        on seed_companies.raw_text = parsed_texts.raw_text
    where parsed_texts.timezone is not null
),

crm_keyed as (
    select
        company_identifiers.company_key,
        crm_observations.identifier_value,
        parsed_texts.timezone as attribute_value,
        crm_observations.observed_at,
        'crm' as timezone_source,
        'crm' as source,
        2 as source_precedence,
        'stg_crm__accounts_versions' as source_model
    from crm_observations
    inner join company_identifiers
        on crm_observations.identifier_type = company_identifiers.identifier_type
        and crm_observations.identifier_value = company_identifiers.identifier_value
    left join parsed_texts
        on crm_observations.raw_text = parsed_texts.raw_text
),

event_observations as (
    select
        company_key,
        company_key as identifier_value,
        timezone as attribute_value,
        inferred_at as observed_at,
        'events' as timezone_source,
        'events' as source,
        3 as source_precedence,
        'int_company_timezone_inferences' as source_model
    from inferences
),

country_observations as (
    select
        country_changes.company_key,
        country_changes.company_key as identifier_value,
        countries.timezone as attribute_value,
        country_changes.changed_at as observed_at,
        'country' as timezone_source,
        'country' as source,
        4 as source_precedence,
        'countries' as source_model
    from country_changes
    left join unambiguous_country_keys
        on unambiguous_country_keys.country_key
        = {{ normalize_label('country_changes.country_text') }}
    left join countries
        on unambiguous_country_keys.country_code = countries.country_code
),

default_observations as (
    select
        company_key,
        company_key as identifier_value,
        'UTC' as attribute_value,
        born_at as observed_at,
        'default' as timezone_source,
        'default' as source,
        5 as source_precedence,
        'int_company_first_observations' as source_model
    from first_observations
),

unioned as (
    select * from seed_observations
    union all
    select * from crm_keyed
    union all
    select * from event_observations
    union all
    select * from country_observations
    union all
    select * from default_observations
),

final as (
    select
        -- keys
        unioned.company_key,
        unioned.identifier_value,
        -- strings
        unioned.attribute_value as timezone,
        unioned.timezone_source,
        unioned.source,
        unioned.source_model,
        -- numerics
        unioned.source_precedence,
        -- timestamps (UTC): never before the company began
        greatest(unioned.observed_at, first_observations.born_at) as observed_at
    from unioned
    inner join first_observations
        on unioned.company_key = first_observations.company_key
)

select * from final
