{#-
    One row per Stripe customer ever seen: how it links to a company
    (evidence `metadata`, `person_email`, `domain`, or none) and, when the
    evidence is ambiguous or contradicts the metadata, why it does not link
    (evidence_status). The rules are in the doc block
    `billing_customer_evidence`. Everything is decided at identifier level
    (CRM account ids, app account ids, person components), never through
    company keys, so the company graph stays acyclic: a "known company" here
    is a CRM account, or an app account no single CRM account names in
    App_Account_Id__c. All inputs accumulate over history (every contact
    version, every consented group call), so evidence never moves a
    customer from one company to another: new data can only make it
    ambiguous.
-#}
with

customers_daily as (
    select * from {{ ref('stg_billing__customers_daily') }}
),

person_components as (
    select * from {{ ref('int_person_components') }}
),

person_links as (
    select * from {{ ref('int_person_identifier_links') }}
),

contact_versions as (
    select * from {{ ref('stg_crm__contacts_versions') }}
),

account_versions as (
    select * from {{ ref('stg_crm__accounts_versions') }}
),

messages as (
    select * from {{ ref('stg_events__messages_consented') }}
),

free_email_domains as (
    select * from {{ ref('stg_seeds__free_email_domains') }}
),

-- every customer, whether any of its daily states carried a metadata id
customers as (
    select
        customer_id,
        min(extract_date) as first_extract_date,
        bool_or(crm_account_id is not null or app_account_id is not null) as has_metadata
    from customers_daily
    group by customer_id
),

customer_emails as (
    select
        customer_id,
        nullif(lower(trim(email)), '') as email,
        cast(min(extract_date) as timestamp) as first_seen_at
    from customers_daily
    where nullif(lower(trim(email)), '') is not null
    group by customer_id, nullif(lower(trim(email)), '')
),

-- an app account belongs to the CRM account that names it, when exactly one does
app_account_owners as (
    select
        app_account_id,
        min(account_id) as account_id
    from account_versions
    where app_account_id is not null
    group by app_account_id
    having count(distinct account_id) = 1
),

-- the metadata's companies, as known companies
metadata_companies as (
    select distinct
        customers_daily.customer_id,
        'crm_account_id' as company_identifier_type,
        customers_daily.crm_account_id as company_identifier_value
    from customers_daily
    where customers_daily.crm_account_id is not null
    union
    select distinct
        customers_daily.customer_id,
        case
            when owners.account_id is null then 'app_account_id' else 'crm_account_id'
        end as company_identifier_type,
        coalesce(owners.account_id, customers_daily.app_account_id) as company_identifier_value
    from customers_daily
    left join app_account_owners as owners
        on customers_daily.app_account_id = owners.app_account_id
    where customers_daily.app_account_id is not null
),

-- a person's companies: the AccountId of any version of their CRM contacts,
-- and the workspace of any consented group call of their user ids
person_company_assertions as (
    select
        person_components.component_id,
        'crm_account_id' as company_identifier_type,
        contact_versions.account_id as company_identifier_value,
        contact_versions.system_modified_at as asserted_at
    from person_components
    inner join contact_versions
        on person_components.identifier_type = 'crm_contact_id'
        and person_components.identifier_value = contact_versions.contact_id
    where contact_versions.account_id is not null
    union all
    select
        person_components.component_id,
        case
            when owners.account_id is null then 'app_account_id' else 'crm_account_id'
        end as company_identifier_type,
        coalesce(owners.account_id, messages.group_id) as company_identifier_value,
        messages.occurred_at as asserted_at
    from person_components
    inner join messages
        on person_components.identifier_type = 'user_id'
        and person_components.identifier_value = messages.user_id
    left join app_account_owners as owners
        on messages.group_id = owners.app_account_id
    where messages.message_type = 'group'
        and messages.group_id is not null
),

person_companies as (
    select
        component_id,
        company_identifier_type,
        company_identifier_value,
        min(asserted_at) as first_asserted_at
    from person_company_assertions
    group by component_id, company_identifier_type, company_identifier_value
),

-- an email linked through hub links (a shared mailbox) is several people's
email_hub_neighbours as (
    select
        identifier_value_b as email,
        identifier_type_a as neighbour_type,
        identifier_value_a as neighbour_value
    from person_links
    where is_hub_link and identifier_type_b = 'email'
    union
    select
        identifier_value_a,
        identifier_type_b,
        identifier_value_b
    from person_links
    where is_hub_link and identifier_type_a = 'email'
),

-- the people each customer email belongs to
email_people as (
    select
        customer_emails.customer_id,
        customer_emails.email,
        customer_emails.first_seen_at,
        person_components.component_id
    from customer_emails
    inner join person_components
        on person_components.identifier_type = 'email'
        and person_components.identifier_value = customer_emails.email
    where customer_emails.email not in (select email from email_hub_neighbours)
    union
    select
        customer_emails.customer_id,
        customer_emails.email,
        customer_emails.first_seen_at,
        person_components.component_id
    from customer_emails
    inner join email_hub_neighbours
        on customer_emails.email = email_hub_neighbours.email
    inner join person_components
        on email_hub_neighbours.neighbour_type = person_components.identifier_type
        and email_hub_neighbours.neighbour_value = person_components.identifier_value
),

customer_people as (
    select
        customer_id,
        count(distinct component_id) as person_count,
        string_agg(distinct email, ', ' order by email) as emails
    from email_people
    group by customer_id
),

customer_person_companies as (
    select
        email_people.customer_id,
        person_companies.company_identifier_type,
        person_companies.company_identifier_value,
        min(greatest(email_people.first_seen_at, person_companies.first_asserted_at))
            as linked_at
    from email_people
    inner join person_companies
        on email_people.component_id = person_companies.component_id
    group by
        email_people.customer_id,
        person_companies.company_identifier_type,
        person_companies.company_identifier_value
),

person_evidence as (
    select
        customer_id,
        count(*) as company_count,
        min(company_identifier_type) as company_identifier_type,
        min(company_identifier_value) as company_identifier_value,
        min(linked_at) as linked_at,
        string_agg(company_identifier_value, ', ' order by company_identifier_value)
            as company_list
    from customer_person_companies
    group by customer_id
),

-- domains: a CRM account's Website, and the email domains of people with
-- exactly one company
website_domains as (
    select
        {{ website_domain('website') }} as domain,
        'crm_account_id' as company_identifier_type,
        account_id as company_identifier_value,
        min(system_modified_at) as first_seen_at
    from account_versions
    where nullif(trim(website), '') is not null
    group by account_id, website
),

single_company_people as (
    select
        component_id,
        min(company_identifier_type) as company_identifier_type,
        min(company_identifier_value) as company_identifier_value,
        min(first_asserted_at) as first_asserted_at
    from person_companies
    group by component_id
    having count(*) = 1
),

people_email_domains as (
    select
        split_part(person_components.identifier_value, '@', 2) as domain,
        single_company_people.company_identifier_type,
        single_company_people.company_identifier_value,
        min(single_company_people.first_asserted_at) as first_seen_at
    from single_company_people
    inner join person_components
        on single_company_people.component_id = person_components.component_id
        and person_components.identifier_type = 'email'
    group by
        split_part(person_components.identifier_value, '@', 2),
        single_company_people.company_identifier_type,
        single_company_people.company_identifier_value
),

domain_owners as (
    select
        domain,
        company_identifier_type,
        company_identifier_value,
        min(first_seen_at) as first_seen_at
    from (
        select * from website_domains
        union all
        select * from people_email_domains
    ) as owned
    where nullif(domain, '') is not null
        and domain not in (select email_domain from free_email_domains)
    group by domain, company_identifier_type, company_identifier_value
),

customer_domains as (
    select distinct
        customer_id,
        split_part(email, '@', 2) as domain,
        first_seen_at
    from customer_emails
    where split_part(email, '@', 2) not in (select email_domain from free_email_domains)
),

customer_domain_companies as (
    select
        customer_domains.customer_id,
        domain_owners.company_identifier_type,
        domain_owners.company_identifier_value,
        string_agg(distinct customer_domains.domain, ', ') as domains,
        min(greatest(customer_domains.first_seen_at, domain_owners.first_seen_at))
            as linked_at
    from customer_domains
    inner join domain_owners on customer_domains.domain = domain_owners.domain
    group by
        customer_domains.customer_id,
        domain_owners.company_identifier_type,
        domain_owners.company_identifier_value
),

domain_evidence as (
    select
        customer_id,
        count(*) as company_count,
        min(company_identifier_type) as company_identifier_type,
        min(company_identifier_value) as company_identifier_value,
        min(domains) as domains,
        min(linked_at) as linked_at,
        string_agg(company_identifier_value, ', ' order by company_identifier_value)
            as company_list
    from customer_domain_companies
    group by customer_id
),

-- the evidence that decides: the email's person first, else the domain
decided as (
    select
        customers.customer_id,
        customers.has_metadata,
        customer_people.emails,
        customer_people.person_count,
        person_evidence.company_count as person_company_count,
        person_evidence.company_list as person_company_list,
        domain_evidence.domains,
        domain_evidence.company_count as domain_company_count,
        domain_evidence.company_list as domain_company_list,
        case
            when customer_people.person_count > 1 then 'email_shared_by_several_people'
            when person_evidence.company_count > 1 then 'person_in_several_companies'
            when person_evidence.company_count = 1 then 'person_email'
            when domain_evidence.company_count > 1 then 'domain_owned_by_several_companies'
            when domain_evidence.company_count = 1 then 'domain'
        end as evidence_found,
        case
            when person_evidence.company_count = 1 then person_evidence.company_identifier_type
            else domain_evidence.company_identifier_type
        end as company_identifier_type,
        case
            when person_evidence.company_count = 1 then person_evidence.company_identifier_value
            else domain_evidence.company_identifier_value
        end as company_identifier_value,
        case
            when person_evidence.company_count = 1 then person_evidence.linked_at
            else domain_evidence.linked_at
        end as linked_at
    from customers
    left join customer_people on customers.customer_id = customer_people.customer_id
    left join person_evidence on customers.customer_id = person_evidence.customer_id
    left join domain_evidence on customers.customer_id = domain_evidence.customer_id
),

checked as (
    select
        decided.*,
        decided.evidence_found in ('person_email', 'domain') as has_single_evidence,
        exists(
            select 1
            from metadata_companies
            where metadata_companies.customer_id = decided.customer_id
                and metadata_companies.company_identifier_type = decided.company_identifier_type
                and metadata_companies.company_identifier_value = decided.company_identifier_value
        ) as agrees_with_metadata
    from decided
),

statuses as (
    select
        *,
        case
            when has_metadata then 'metadata'
            when has_single_evidence then evidence_found
        end as evidence,
        case
            when has_metadata and has_single_evidence and not agrees_with_metadata
                then 'evidence_contradicts_metadata'
            when has_metadata then 'metadata'
            when has_single_evidence then 'linked'
            when evidence_found is not null then evidence_found
            else 'no_evidence'
        end as evidence_status,
        case
            when has_metadata and has_single_evidence and not agrees_with_metadata
                then 'metadata names '
                    || (
                        select string_agg(company_identifier_value, ', ')
                        from metadata_companies
                        where metadata_companies.customer_id = checked.customer_id
                    )
                    || ' but its ' || evidence_found || ' evidence ('
                    || case
                        when evidence_found = 'person_email' then 'email ' || emails
                        else 'domain ' || domains
                    end
                    || ') points to ' || company_identifier_value
                    || '; the metadata link is kept, the evidence is not used'
            when has_metadata then null
            when evidence_found = 'email_shared_by_several_people'
                then 'email ' || emails || ' belongs to ' || cast(person_count as varchar)
                    || ' people (a shared mailbox): not linked'
            when evidence_found = 'person_in_several_companies'
                then 'email ' || emails || ' belongs to a person of '
                    || cast(person_company_count as varchar) || ' companies ('
                    || person_company_list || '): not linked'
            when evidence_found = 'domain_owned_by_several_companies'
                then 'domain ' || domains || ' is owned by '
                    || cast(domain_company_count as varchar) || ' companies ('
                    || domain_company_list || '): not linked'
        end as detail
    from checked
),

final as (
    select
        -- ids
        customer_id,
        case when evidence_status = 'linked' then company_identifier_type end
            as company_identifier_type,
        case when evidence_status = 'linked' then company_identifier_value end
            as company_identifier_value,
        -- strings
        evidence,
        evidence_status,
        detail,
        -- booleans
        has_metadata,
        -- timestamps (UTC)
        case when evidence_status = 'linked' then linked_at end as linked_at
    from statuses
)

select * from final
