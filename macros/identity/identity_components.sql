{#-
    The shared tail of the identity components models
    (int_company_components, int_person_components): given CTEs named
    `identifiers` (identifier_type, identifier_value, node, type_priority,
    first_seen_at), `links` (identifier_type_a/_value_a,
    identifier_type_b/_value_b, link_source, linked_at, is_hub_link) and
    `never_same_pairs` (node_a, node_b: customer success's never_same rows)
    in the calling model, it finds the connected components, cuts every
    never_same pair apart (doc block `identity_overrides`: the links
    between b's side and what still reaches a without it are dropped, and
    only the components holding such a pair are recomputed), then each
    component's anchor (its earliest-seen identifier by first_seen_at, then
    type_priority, then value), the candidate key hashed from the anchor,
    and the data time of the component's latest link. Continues the calling
    model's `with`.
-#}
{% macro identity_components(entity, key_prefix) -%}
merge_links as (
    select
        identifier_type_a || '|' || identifier_value_a as node_a,
        identifier_type_b || '|' || identifier_value_b as node_b,
        link_source = 'seed:identity_overrides.csv' as is_override_link,
        linked_at
    from links
    where not is_hub_link
),

edges as (
    select node as node_a, node as node_b from identifiers
    union all
    select node_a, node_b from merge_links
),

linked_components as (
    {{ customer360.connected_components('edges') }}
),

-- never_same pairs the links put in one component (the others need nothing)
joined_pairs as (
    select
        row_number() over (order by pairs.node_a, pairs.node_b) as pair_number,
        pairs.node_a,
        pairs.node_b,
        end_a.component_id
    from (select distinct node_a, node_b from never_same_pairs) as pairs
    inner join linked_components as end_a on pairs.node_a = end_a.node
    inner join linked_components as end_b on pairs.node_b = end_b.node
    where end_a.component_id = end_b.component_id
),

-- b's side: b and every identifier always_same rows chain to it
override_edges as (
    select node_b as node_a, node_b from joined_pairs
    union all
    select node_a, node_b from merge_links where is_override_link
),

override_groups as (
    {{ customer360.connected_components('override_edges') }}
),

detached as (
    select
        joined_pairs.pair_number,
        members.node
    from joined_pairs
    inner join override_groups as b_group on joined_pairs.node_b = b_group.node
    inner join override_groups as members on b_group.component_id = members.component_id
),

-- per pair, its component without b's side (nodes tagged with the pair)
pair_nodes as (
    select
        joined_pairs.pair_number,
        members.node,
        cast(joined_pairs.pair_number as varchar) || '#' || members.node as tagged_node
    from joined_pairs
    inner join linked_components as members
        on joined_pairs.component_id = members.component_id
    where not exists (
            select 1
            from detached
            where detached.pair_number = joined_pairs.pair_number
                and detached.node = members.node
        )
),

remaining_edges as (
    select tagged_node as node_a, tagged_node as node_b from pair_nodes
    union all
    select
        end_a.tagged_node as node_a,
        end_b.tagged_node as node_b
    from merge_links
    inner join pair_nodes as end_a on merge_links.node_a = end_a.node
    inner join pair_nodes as end_b
        on merge_links.node_b = end_b.node
        and end_a.pair_number = end_b.pair_number
),

remaining_components as (
    {{ customer360.connected_components('remaining_edges') }}
),

-- a's side: what still reaches a without b's side
a_sides as (
    select
        pair_nodes.pair_number,
        pair_nodes.node
    from joined_pairs
    inner join remaining_components as end_a
        on cast(joined_pairs.pair_number as varchar) || '#' || joined_pairs.node_a = end_a.node
    inner join remaining_components as members
        on end_a.component_id = members.component_id
    inner join pair_nodes
        on members.node = pair_nodes.tagged_node
),

-- the cut: every link between b's side and a's side
cut_links as (
    select
        merge_links.node_a,
        merge_links.node_b
    from merge_links
    inner join detached on merge_links.node_a = detached.node
    inner join a_sides
        on merge_links.node_b = a_sides.node
        and detached.pair_number = a_sides.pair_number
    union
    select
        merge_links.node_a,
        merge_links.node_b
    from merge_links
    inner join detached on merge_links.node_b = detached.node
    inner join a_sides
        on merge_links.node_a = a_sides.node
        and detached.pair_number = a_sides.pair_number
),

kept_links as (
    select
        merge_links.node_a,
        merge_links.node_b,
        merge_links.linked_at
    from merge_links
    where not exists (
            select 1
            from cut_links
            where cut_links.node_a = merge_links.node_a
                and cut_links.node_b = merge_links.node_b
        )
),

-- only the components that held a never_same pair are computed again
split_nodes as (
    select linked_components.node
    from linked_components
    where linked_components.component_id in (select component_id from joined_pairs)
),

split_edges as (
    select node as node_a, node as node_b from split_nodes
    union all
    select
        kept_links.node_a,
        kept_links.node_b
    from kept_links
    inner join split_nodes on kept_links.node_a = split_nodes.node
),

split_components as (
    {{ customer360.connected_components('split_edges') }}
),

components as (
    select
        node,
        component_id
    from linked_components
    where component_id not in (select component_id from joined_pairs)
    union all
    select
        node,
        component_id
    from split_components
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
        type_priority as anchor_type_priority,
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
        max(kept_links.linked_at) as component_linked_at
    from kept_links
    inner join components on kept_links.node_a = components.node
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
        anchors.anchor_type_priority,
        with_component.first_seen_at,
        anchors.anchor_first_seen_at,
        component_links.component_linked_at
    from with_component
    inner join anchors on with_component.component_id = anchors.component_id
    left join component_links on with_component.component_id = component_links.component_id
)

select * from final
{%- endmacro %}
