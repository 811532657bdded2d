{#- One row per free-mail or ISP mail domain (seed free_email_domains), lower-cased:
    never evidence of a company. -#}
with

source as (
    select * from {{ ref('free_email_domains') }}
),

renamed as (
    select distinct
        -- ids
        lower(trim(domain)) as email_domain,
        -- strings
        lower(trim(kind)) as domain_kind
    from source
    where nullif(trim(domain), '') is not null
)

select * from renamed
