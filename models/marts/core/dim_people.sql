{#- One row per person: their current version in dim_people_history. -#}
with

history as (
    select * from {{ ref('dim_people_history') }}
),

final as (
    select
        -- ids
        person_key,
        user_id,
        crm_contact_id,
        company_key,
        crm_account_id,
        -- strings
        email,
        first_name,
        last_name,
        full_name,
        title,
        lead_source,
        -- booleans
        has_opted_out_of_email,
        is_deleted,
        -- timestamps (UTC)
        valid_from as current_since_at
    from history
    where is_current
)

select * from final
