{#-
    One row per link between two company identifiers ever seen in any
    source version or extract (links accumulate: a link once seen stays).
    linked_at is data time: the earliest time a source showed the link.
    evidence says why the two are one company: `crm_app_account_id` (the
    CRM account's App_Account_Id__c), `metadata` (the Stripe customer's
    metadata ids), `person_email` or `domain` (a customer without metadata,
    by int_billing_customer_evidence; see the billing_customer_evidence doc),
    or `seed:identity_overrides.csv` (customer success's always_same rows:
    never hub links, not counted as neighbours; doc block identity_overrides).
    A link that touches a hub identifier (more distinct neighbours than
    var('identity_max_links_per_identifier')) is flagged and not used to
    merge, so one bad value cannot fuse hundreds of companies.
-#}
with

crm_account_versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

billing_customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

billing_customer_evidence as (
    select * from {{ ref('int_billing_customer_evidence') }}
),

overrides as (
    select * from {{ ref('stg_seeds__identity_overrides') }}
),

crm_app_links as (
    select
        'crm_account_id' as identifier_type_a,
        account_id as identifier_value_a,
        'app_account_id' as identifier_type_b,
        app_account_id as identifier_value_b,
        'crm' as link_source,
        'crm_app_account_id' as evidence,
        system_modified_at as linked_at
    from crm_account_versions
    where app_account_id is not null
),

billing_crm_links as (
    select
        'billing_customer_id' as identifier_type_a,
        customer_id as identifier_value_a,
        'crm_account_id' as identifier_type_b,
        crm_account_id as identifier_value_b,
        'billing' as link_source,
        'metadata' as evidence,
        cast(extract_date as timestamp) as linked_at
    from billing_customers_daily
    where crm_account_id is not null
),

billing_app_links as (
    select
        'billing_customer_id' as identifier_type_a,
        customer_id as identifier_value_a,
        'app_account_id' as identifier_type_b,
        app_account_id as identifier_value_b,
        'billing' as link_source,
        'metadata' as evidence,
        cast(extract_date as timestamp) as linked_at
    from billing_customers_daily
    where app_account_id is not null
),

-- a customer without metadata, linked by evidence (person_email, domain)
billing_evidence_links as (
    select
        'billing_customer_id' as identifier_type_a,
        customer_id as identifier_value_a,
        company_identifier_type as identifier_type_b,
        company_identifier_value as identifier_value_b,
        'billing' as link_source,
        evidence,
        linked_at
    from billing_customer_evidence
    where evidence_status = 'linked'
),

sightings as (
    select * from crm_app_links
    union all
    select * from billing_crm_links
    union all
    select * from billing_app_links
    union all
    select * from billing_evidence_links
),

links as (
    -- the earliest sighting of each link (ties: the source name)
    select
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        link_source,
        evidence,
        linked_at
    from sightings
    qualify row_number() over (
            partition by
                identifier_type_a, identifier_value_a,
                identifier_type_b, identifier_value_b
            order by linked_at, link_source
        ) = 1
),

neighbour_counts as (
    select
        identifier_type,
        identifier_value,
        count(*) as neighbour_count
    from (
        select
            identifier_type_a as identifier_type,
            identifier_value_a as identifier_value
        from links
        union all
        select
            identifier_type_b,
            identifier_value_b
        from links
    ) as link_ends
    group by identifier_type, identifier_value
),

flagged as (
    select
        links.identifier_type_a,
        links.identifier_value_a,
        links.identifier_type_b,
        links.identifier_value_b,
        links.link_source,
        links.evidence,
        coalesce(
            greatest(end_a.neighbour_count, end_b.neighbour_count)
            > {{ var('identity_max_links_per_identifier') }},
            false
        ) as is_hub_link,
        links.linked_at
    from links
    left join neighbour_counts as end_a
        on links.identifier_type_a = end_a.identifier_type
        and links.identifier_value_a = end_a.identifier_value
    left join neighbour_counts as end_b
        on links.identifier_type_b = end_b.identifier_type
        and links.identifier_value_b = end_b.identifier_value
),

-- customer success's always_same rows: links no evidence shows
override_links as (
    select
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        'seed:identity_overrides.csv' as link_source,
        'seed:identity_overrides.csv' as evidence,
        false as is_hub_link,
        cast(requested_on as timestamp) as linked_at
    from overrides
    where entity = 'company' and rule = 'always_same'
),

-- an override replaces an evidence link of the same pair (it always merges)
final as (
    select * from flagged
    where not exists (
            select 1
            from override_links
            where override_links.identifier_type_a = flagged.identifier_type_a
                and override_links.identifier_value_a = flagged.identifier_value_a
                and override_links.identifier_type_b = flagged.identifier_type_b
                and override_links.identifier_value_b = flagged.identifier_value_b
        )
    union all
    select * from override_links
)

select * from final
