{#- One row per company: parent, ultimate parent, depth and path today. -#}
{{ company_hierarchy_as_of() }}
