{#- One row per company: its parent edge today, after the cycle and dangling-parent checks. -#}
{{ company_parent_edges_as_of() }}
