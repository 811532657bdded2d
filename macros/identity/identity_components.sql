{#-
    The shared tail of the identity components models
    (int_company_components, int_person_components): given CTEs named
    `identifiers` (identifier_type, identifier_value, node, type_priority,
    first_seen_at) and `links` (identifier_type_a/_value_a,
    identifier_type_b/_value_b, linked_at, is_hub_link) in the calling
    model, it finds the connected components, each component's anchor (its
    earliest-seen identifier by first_seen_at, then type_priority, then
    value), the candidate key hashed from the anchor, and the data time of
    the component's latest link. Continues the calling model's `with`.
-#}
{% macro identity_components(entity, key_prefix) -%}
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
            key_prefix,
            ["'" ~ entity ~ "'", 'anchors.anchor_identifier_type', 'anchors.anchor_identifier_value']
        ) }} as candidate_{{ entity }}_key,
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
{%- endmacro %}
