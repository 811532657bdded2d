{#-
    Connected components of an undirected graph, as a select statement to use
    as a CTE body. `edges` names a relation or CTE with columns `node_a`,
    `node_b` (varchar); give every node a self-edge (n, n) so isolated nodes
    appear. Returns one row per node: `node`, `component_id` (the smallest
    node of its component).

    Label propagation in a recursive CTE: each node starts labelled with
    itself and passes its labels to its neighbours. `union` (not union all)
    drops (node, label) pairs already produced, so the recursion stops once
    no new pair appears: at most (component size)^2 rows per component, which
    is why callers drop links through hub identifiers before calling it.
-#}
{% macro connected_components(edges) -%}
    {{ return(adapter.dispatch('connected_components', 'customer360')(edges)) }}
{%- endmacro %}

{% macro default__connected_components(edges) -%}
    with recursive

    undirected as (
        select node_a as node, node_b as neighbour from {{ edges }}
        union
        select node_b as node, node_a as neighbour from {{ edges }}
    ),

    labels (node, label) as (
        select node, node as label from undirected
        union
        select undirected.neighbour as node, labels.label
        from labels
        inner join undirected on labels.node = undirected.node
    )

    select
        node,
        min(label) as component_id
    from labels
    group by node
{%- endmacro %}
