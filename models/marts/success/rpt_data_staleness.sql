{#-
    Data decay: one row per live company and attribute, and per live person
    and contact attribute (macro freshness_attributes), that has a current
    value. What the value is and which source gave it, when it last changed,
    when a source last confirmed it (re-asserted the same value: a CRM
    version, a billing extract, a group or identify call), how old that
    confirmation is on the warehouse's as-of day, the freshness rule that
    applies (seed freshness_rules, the most specific match) and whether the
    value is stale. Which paying accounts have stale CRM data? Rules: doc
    block `freshness_rules`. A personal attribute's value is shown as its
    email_hash or not at all (is_value_withheld, docs/privacy.md).
-#}
{%- set company_attributes = freshness_attributes('company') %}
{%- set person_attributes = freshness_attributes('person') %}
with

company_changes as (
    select
        company_key as entity_key,
        attribute,
        new_value,
        source,
        changed_at
    from {{ ref('int_company_attribute_changes') }}
    where attribute in ('{{ company_attributes | join("', '") }}') -- noqa: LT05
),

person_changes as (
    select
        person_key as entity_key,
        attribute,
        new_value,
        source,
        changed_at
    from {{ ref('int_person_attribute_changes') }}
    where attribute in ('{{ person_attributes | join("', '") }}') -- noqa: LT05
),

company_confirmations as (
    select
        company_key as entity_key,
        attribute,
        attribute_value,
        source,
        last_asserted_at
    from {{ ref('int_company_attribute_confirmations') }}
),

person_confirmations as (
    select
        person_key as entity_key,
        attribute,
        attribute_value,
        source,
        last_asserted_at
    from {{ ref('int_person_attribute_confirmations') }}
),

companies as (
    select
        company_key,
        employee_size_band,
        is_deleted
    from {{ ref('dim_companies') }}
),

people as (
    select
        person_key,
        company_key,
        is_deleted
    from {{ ref('dim_people') }}
),

lifecycle as (
    select
        company_key,
        lifecycle_stage,
        mrr_band
    from {{ ref('int_company_lifecycle') }}
),

rules as (
    select
        entity,
        attribute,
        lifecycle_stage,
        employee_size_band,
        mrr_band,
        max_age_days
    from {{ ref('stg_seeds__freshness_rules') }}
),

partitions as (
    select
        extract_date,
        status
    from {{ ref('landing_partitions') }}
),

-- "today": the latest complete landed extract, so a rebuild of the same
-- landing zone gives the same ages on any day
as_of as (
    select max(extract_date) as as_of_date
    from partitions
    where status = 'complete'
),

changes as (
    select
        'company' as entity,
        *
    from company_changes
    union all
    select
        'person' as entity,
        *
    from person_changes
),

confirmations as (
    select
        'company' as entity,
        *
    from company_confirmations
    union all
    select
        'person' as entity,
        *
    from person_confirmations
),

latest_change_at as (
    select
        entity,
        entity_key,
        attribute,
        max(changed_at) as changed_at
    from changes
    group by entity, entity_key, attribute
),

current_values as (
    select
        changes.entity,
        changes.entity_key,
        changes.attribute,
        changes.new_value as current_value,
        changes.source,
        changes.changed_at as last_changed_at
    from changes
    inner join latest_change_at
        on changes.entity = latest_change_at.entity
        and changes.entity_key = latest_change_at.entity_key
        and changes.attribute = latest_change_at.attribute
        and changes.changed_at = latest_change_at.changed_at
    where changes.new_value is not null
),

-- the latest re-assertion of the current value, by any source (ties: the
-- source's name, so the pick is stable)
matching_confirmations as (
    select
        current_values.entity,
        current_values.entity_key,
        current_values.attribute,
        confirmations.source,
        confirmations.last_asserted_at,
        row_number() over (
            partition by current_values.entity, current_values.entity_key, current_values.attribute
            order by confirmations.last_asserted_at desc, confirmations.source
        ) as confirmation_rank
    from current_values
    inner join confirmations
        on current_values.entity = confirmations.entity
        and current_values.entity_key = confirmations.entity_key
        and current_values.attribute = confirmations.attribute
        and current_values.current_value = confirmations.attribute_value
),

-- the company whose stage and bands the rules look at: itself, or the
-- person's current company; deleted companies and people are left out
contexts as (
    select
        'company' as entity,
        companies.company_key as entity_key,
        companies.company_key
    from companies
    where not companies.is_deleted
    union all
    select
        'person' as entity,
        people.person_key as entity_key,
        people.company_key
    from people
    where not people.is_deleted
),

assessed as (
    select
        current_values.entity,
        current_values.entity_key,
        contexts.company_key,
        current_values.attribute,
        current_values.current_value,
        current_values.source,
        current_values.last_changed_at,
        case
            when matching_confirmations.last_asserted_at > current_values.last_changed_at
                then matching_confirmations.last_asserted_at
            else current_values.last_changed_at
        end as last_confirmed_at,
        case
            when matching_confirmations.last_asserted_at > current_values.last_changed_at
                then matching_confirmations.source
            else current_values.source
        end as confirmed_by,
        lifecycle.lifecycle_stage,
        companies.employee_size_band,
        lifecycle.mrr_band,
        as_of.as_of_date
    from current_values
    inner join contexts
        on current_values.entity = contexts.entity
        and current_values.entity_key = contexts.entity_key
    left join matching_confirmations
        on current_values.entity = matching_confirmations.entity
        and current_values.entity_key = matching_confirmations.entity_key
        and current_values.attribute = matching_confirmations.attribute
        and matching_confirmations.confirmation_rank = 1
    left join companies on contexts.company_key = companies.company_key
    left join lifecycle on contexts.company_key = lifecycle.company_key
    cross join as_of
),

aged as (
    select
        *,
        {{ dbt.datediff('cast(last_confirmed_at as date)', 'as_of_date', 'day') }} as age_days -- noqa: LT05
    from assessed
),

-- every rule that matches, ranked: most conditions first, then attribute
-- over lifecycle over employee band over MRR band
matching_rules as (
    select
        assessed.entity,
        assessed.entity_key,
        assessed.attribute,
        rules.attribute as rule_attribute,
        rules.lifecycle_stage as rule_lifecycle_stage,
        rules.employee_size_band as rule_employee_size_band,
        rules.mrr_band as rule_mrr_band,
        rules.max_age_days,
        row_number() over (
            partition by assessed.entity, assessed.entity_key, assessed.attribute
            order by
                (case when rules.attribute = '*' then 0 else 1 end)
                + (case when rules.lifecycle_stage = '*' then 0 else 1 end)
                + (case when rules.employee_size_band = '*' then 0 else 1 end)
                + (case when rules.mrr_band = '*' then 0 else 1 end) desc,
                case when rules.attribute = '*' then 1 else 0 end,
                case when rules.lifecycle_stage = '*' then 1 else 0 end,
                case when rules.employee_size_band = '*' then 1 else 0 end,
                case when rules.mrr_band = '*' then 1 else 0 end
        ) as rule_rank
    from assessed
    inner join rules
        on assessed.entity = rules.entity
        and rules.attribute in ('*', assessed.attribute)
        and rules.lifecycle_stage in ('*', assessed.lifecycle_stage)
        and (
            rules.employee_size_band = '*'
            or rules.employee_size_band = assessed.employee_size_band
        )
        and (rules.mrr_band = '*' or rules.mrr_band = assessed.mrr_band)
),

final as (
    select
        -- keys
        cast(aged.entity_key as varchar) as entity_key,
        cast(aged.company_key as varchar) as company_key,
        -- strings
        cast(aged.entity as varchar) as entity,
        cast(aged.attribute as varchar) as attribute,
        cast({{ published_attribute_value('aged.attribute', 'aged.current_value') }} as varchar)
            as current_value,
        cast(aged.source as varchar) as source,
        cast(aged.confirmed_by as varchar) as confirmed_by,
        cast(aged.lifecycle_stage as varchar) as lifecycle_stage,
        cast(aged.employee_size_band as varchar) as employee_size_band,
        cast(aged.mrr_band as varchar) as mrr_band,
        cast(matching_rules.rule_attribute as varchar) as rule_attribute,
        cast(matching_rules.rule_lifecycle_stage as varchar) as rule_lifecycle_stage,
        cast(matching_rules.rule_employee_size_band as varchar) as rule_employee_size_band,
        cast(matching_rules.rule_mrr_band as varchar) as rule_mrr_band,
        -- numerics
        cast(aged.age_days as integer) as age_days,
        cast(matching_rules.max_age_days as integer) as max_age_days,
        -- booleans
        case
            when matching_rules.max_age_days is null then null
            else aged.age_days > matching_rules.max_age_days
        end as is_stale,
        {{ is_value_withheld('aged.attribute') }} as is_value_withheld,
        -- dates
        aged.as_of_date,
        -- timestamps (UTC)
        aged.last_changed_at,
        aged.last_confirmed_at
    from aged
    left join matching_rules
        on aged.entity = matching_rules.entity
        and aged.entity_key = matching_rules.entity_key
        and aged.attribute = matching_rules.attribute
        and matching_rules.rule_rank = 1
)

select * from final
