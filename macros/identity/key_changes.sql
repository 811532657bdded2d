{#-
    The key changes a key registry logs (company_key_merges,
    company_key_splits and their person twins): given a CTE named
    `registry` (identifier_type, identifier_value, <key_column>, linked_at,
    assigned_at) in the calling model, one row per identifier and run in
    which its key changed, old_key -> new_key, with change_kind:
    `split` when new_key was first issued in that run (the separated side
    of a split) or old_key was still held by some identifier after that run
    (part of the entity went elsewhere); `merge` otherwise (every identifier
    of old_key moved: old_key lost). Continues the calling model's `with`.
-#}
{% macro key_changes(key_column) -%}
key_timeline as (
    select
        identifier_type,
        identifier_value,
        {{ key_column }},
        lag({{ key_column }}) over (
            partition by identifier_type, identifier_value
            order by assigned_at
        ) as previous_{{ key_column }},
        lead(assigned_at) over (
            partition by identifier_type, identifier_value
            order by assigned_at
        ) as replaced_at,
        linked_at,
        assigned_at
    from registry
),

key_first_issued as (
    select
        {{ key_column }},
        min(assigned_at) as first_assigned_at
    from registry
    group by {{ key_column }}
),

key_changes as (
    select
        changes.identifier_type,
        changes.identifier_value,
        changes.previous_{{ key_column }} as old_key,
        changes.{{ key_column }} as new_key,
        case
            when key_first_issued.first_assigned_at = changes.assigned_at then 'split'
            when exists (
                    select 1
                    from key_timeline as holders
                    where holders.{{ key_column }} = changes.previous_{{ key_column }}
                        and holders.assigned_at <= changes.assigned_at
                        and (holders.replaced_at is null or holders.replaced_at > changes.assigned_at)
                ) then 'split'
            else 'merge'
        end as change_kind,
        changes.linked_at,
        changes.assigned_at
    from key_timeline as changes
    inner join key_first_issued on changes.{{ key_column }} = key_first_issued.{{ key_column }}
    where changes.previous_{{ key_column }} is not null
        and changes.previous_{{ key_column }} <> changes.{{ key_column }}
)
{%- endmacro %}
