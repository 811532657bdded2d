{#-
    One row per person and window [valid_from, valid_to) in which the
    person's events, tickets and NPS responses belong to a company: every
    membership (resolved_by `membership`), and before the person's first
    membership a window open to the past (valid_from null) with that first
    membership's company (resolved_by `first_membership`). Windows never
    overlap per person; gaps between memberships stay gaps. The rule is the
    doc block `person_company_attribution`; join with the
    person_company_at macro.
-#}
with

memberships as (
    select
        person_key,
        company_key,
        valid_from,
        valid_to
    from {{ ref('int_person_company_memberships') }}
),

first_memberships as (
    select
        person_key,
        company_key,
        valid_from
    from memberships
    qualify row_number() over (
            partition by person_key order by valid_from
        ) = 1
),

before_first_membership as (
    select
        person_key,
        company_key,
        'first_membership' as resolved_by,
        cast(null as timestamp) as valid_from,
        valid_from as valid_to
    from first_memberships
),

during_memberships as (
    select
        person_key,
        company_key,
        'membership' as resolved_by,
        valid_from,
        valid_to
    from memberships
),

windows as (
    select * from before_first_membership
    union all
    select * from during_memberships
),

final as (
    select
        -- keys
        person_key,
        company_key,
        -- strings
        resolved_by,
        -- timestamps (UTC)
        valid_from,
        valid_to
    from windows
)

select * from final
