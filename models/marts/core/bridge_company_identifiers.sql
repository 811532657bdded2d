{#-
    One row per company identifier any source ever showed (CRM account id,
    app account id, Stripe customer id) with the company it belongs to
    today and the evidence that put it there.
-#}
with

identifiers as (
    select * from {{ ref('int_company_identifiers') }}
),

components as (
    select * from {{ ref('int_company_components') }}
),

links as (
    select * from {{ ref('int_company_identifier_links') }}
),

link_ends as (
    select
        identifier_type_a as identifier_type,
        identifier_value_a as identifier_value,
        identifier_type_b as linked_identifier_type,
        identifier_value_b as linked_identifier_value,
        evidence,
        is_hub_link,
        linked_at
    from links
    union all
    select
        identifier_type_b,
        identifier_value_b,
        identifier_type_a,
        identifier_value_a,
        evidence,
        is_hub_link,
        linked_at
    from links
),

neighbour_counts as (
    select
        identifier_type,
        identifier_value,
        count(*) as neighbour_count
    from link_ends
    group by identifier_type, identifier_value
),

-- the link that first tied each identifier to its company (earliest; ties:
-- the stronger evidence, then the other identifier); a link to another
-- company (cut by a never_same override) tied nothing
first_links as (
    select
        link_ends.identifier_type,
        link_ends.identifier_value,
        link_ends.linked_identifier_type,
        link_ends.linked_identifier_value,
        link_ends.evidence,
        link_ends.linked_at
    from link_ends
    inner join identifiers as own
        on link_ends.identifier_type = own.identifier_type
        and link_ends.identifier_value = own.identifier_value
    inner join identifiers as linked
        on link_ends.linked_identifier_type = linked.identifier_type
        and link_ends.linked_identifier_value = linked.identifier_value
        and own.company_key = linked.company_key
    where not link_ends.is_hub_link
    qualify row_number() over (
            partition by link_ends.identifier_type, link_ends.identifier_value
            order by
                link_ends.linked_at,
                case link_ends.evidence
                    when 'crm_app_account_id' then 1
                    when 'metadata' then 2
                    when 'person_email' then 3
                    else 4
                end,
                link_ends.linked_identifier_type,
                link_ends.linked_identifier_value
        ) = 1
),

company_sizes as (
    select
        company_key,
        count(*) as identifier_count
    from identifiers
    group by company_key
),

final as (
    select
        -- ids
        cast(identifiers.company_key as varchar) as company_key,
        cast(identifiers.identifier_type as varchar) as identifier_type,
        cast(identifiers.identifier_value as varchar) as identifier_value,
        cast(first_links.linked_identifier_type as varchar) as linked_identifier_type,
        cast(first_links.linked_identifier_value as varchar) as linked_identifier_value,
        -- strings
        cast(
            case identifiers.identifier_type
                when 'crm_account_id' then 'crm'
                when 'app_account_id' then 'app'
                else 'billing'
            end as varchar
        ) as source_system,
        cast(
            coalesce(
                first_links.evidence,
                case
                    when company_sizes.identifier_count = 1 then 'sole_identifier'
                    else 'key_registry'
                end
            ) as varchar
        ) as evidence,
        -- booleans
        coalesce(
            neighbour_counts.neighbour_count > {{ var('identity_max_links_per_identifier') }},
            false
        ) as is_hub,
        coalesce(
            components.anchor_identifier_type = identifiers.identifier_type
            and components.anchor_identifier_value = identifiers.identifier_value,
            false
        ) as is_anchor,
        -- timestamps (UTC)
        cast(identifiers.first_seen_at as timestamp) as first_seen_at,
        cast(first_links.linked_at as timestamp) as linked_at
    from identifiers
    inner join company_sizes on identifiers.company_key = company_sizes.company_key
    left join components
        on identifiers.identifier_type = components.identifier_type
        and identifiers.identifier_value = components.identifier_value
    left join first_links
        on identifiers.identifier_type = first_links.identifier_type
        and identifiers.identifier_value = first_links.identifier_value
    left join neighbour_counts
        on identifiers.identifier_type = neighbour_counts.identifier_type
        and identifiers.identifier_value = neighbour_counts.identifier_value
)

select * from final
