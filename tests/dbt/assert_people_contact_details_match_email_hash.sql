{#- personal.dim_people_contact_details holds the email whose email_hash
    marts.dim_people publishes: a person whose two disagree is returned. -#}
select
    person_key,
    email_hash
from {{ ref('dim_people_contact_details') }}
where email_hash is distinct from {{ email_hash('email') }}
