{#-
    One row per company identifier: the connected component of the
    identifier links it falls in, the component's anchor (its earliest-seen
    identifier by first_seen_at, then type priority crm_account_id <
    app_account_id < billing_customer_id, then value) and the candidate key
    hashed from the anchor. The registry turns candidates into issued keys.
-#}
with

crm_account_versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

billing_customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

messages as (
    select * from {{ ref('stg_events__messages') }}
),

links as (
    select * from {{ ref('int_company_identifier_links') }}
),

sightings as (
    select
        'crm_account_id' as identifier_type,
        account_id as identifier_value,
        coalesce(created_at, system_modified_at) as seen_at
    from crm_account_versions
    union all
    select
        'app_account_id' as identifier_type,
        app_account_id as identifier_value,
        system_modified_at as seen_at
    from crm_account_versions
    where app_account_id is not null
    union all
    select
        'billing_customer_id' as identifier_type,
        customer_id as identifier_value,
        coalesce(created_at, cast(extract_date as timestamp)) as seen_at
    from billing_customers_daily
    union all
    select
        'crm_account_id' as identifier_type,
        crm_account_id as identifier_value,
        cast(extract_date as timestamp) as seen_at
    from billing_customers_daily
    where crm_account_id is not null
    union all
    select
        'app_account_id' as identifier_type,
        app_account_id as identifier_value,
        cast(extract_date as timestamp) as seen_at
    from billing_customers_daily
    where app_account_id is not null
    union all
    select
        'app_account_id' as identifier_type,
        group_id as identifier_value,
        occurred_at as seen_at
    from messages
    where message_type = 'group' and group_id is not null
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        identifier_type || '|' || identifier_value as node,
        case identifier_type
            when 'crm_account_id' then 1
            when 'app_account_id' then 2
            else 3
        end as type_priority,
        min(seen_at) as first_seen_at
    from sightings
    group by identifier_type, identifier_value
),

merge_links as (
    select
        identifier_type_a || '|' || identifier_value_a as node_a,
        identifier_type_b || '|' || identifier_value_b as node_b
    from links
    where not is_hub_link
),

edges as (
    select node as node_a, node as node_b from identifiers
    union all
    select node_a, node_b from merge_links
),

components as (
    {{ customer360.connected_components('edges') }}
),

with_component as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        components.component_id,
        identifiers.type_priority,
        identifiers.first_seen_at
    from identifiers
    inner join components on identifiers.node = components.node
),

anchors as (
    select
        component_id,
        identifier_type as anchor_identifier_type,
        identifier_value as anchor_identifier_value,
        first_seen_at as anchor_first_seen_at
    from with_component
    qualify row_number() over (
        partition by component_id
        order by first_seen_at asc nulls last, type_priority, identifier_value
    ) = 1
),

component_links as (
    select
        components.component_id,
        max(links.linked_at) as component_linked_at
    from links
    inner join components
        on links.identifier_type_a || '|' || links.identifier_value_a = components.node
    where not links.is_hub_link
    group by components.component_id
),

final as (
    select
        with_component.identifier_type,
        with_component.identifier_value,
        with_component.component_id,
        {{ customer360.surrogate_key(
            'co_',
            ["'company'", 'anchors.anchor_identifier_type', 'anchors.anchor_identifier_value']
        ) }} as candidate_company_key,
        anchors.anchor_identifier_type,
        anchors.anchor_identifier_value,
        with_component.first_seen_at,
        anchors.anchor_first_seen_at,
        component_links.component_linked_at
    from with_component
    inner join anchors on with_component.component_id = anchors.component_id
    left join component_links on with_component.component_id = component_links.component_id
)

select * from final
