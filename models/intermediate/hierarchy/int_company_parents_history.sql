{#-
    One row per CRM account per stretch of time in which its ParentId and its
    delete state stayed the same: each version holds from its SystemModstamp
    until the next version's (half-open, valid_to null for the current
    stretch). A hard delete (gone from a complete full extract) adds a last
    stretch with is_deleted = true from that extract's date. The hierarchy
    macros read it to answer "who was whose parent" as of any instant.
-#}
with

versions as (
    select
        account_id,
        parent_account_id,
        is_deleted,
        extract_date,
        system_modified_at
    from {{ ref('stg_crm__accounts_versions') }}
),

accounts as (
    select
        account_id,
        last_extract_date,
        is_hard_deleted
    from {{ ref('stg_crm__accounts') }}
),

full_extracts as (
    select extract_date
    from {{ ref('landing_partitions') }}
    where system = 'crm' and table_name = 'accounts'
        and status = 'complete' and load_mode = 'full'
),

company_keys as (
    select
        identifier_value as account_id,
        company_key
    from {{ ref('int_company_identifiers') }}
    where identifier_type = 'crm_account_id'
),

-- A hard delete happened before the first complete full extract that no
-- longer carried the account: we date it at that extract's midnight (UTC).
hard_deletes as (
    select
        accounts.account_id,
        cast(min(full_extracts.extract_date) as timestamp) as deleted_at
    from accounts
    inner join full_extracts
        on full_extracts.extract_date > accounts.last_extract_date
    where accounts.is_hard_deleted
    group by accounts.account_id
),

last_versions as (
    select
        account_id,
        parent_account_id,
        system_modified_at
    from (
        select
            account_id,
            parent_account_id,
            system_modified_at,
            row_number() over (
                partition by account_id order by system_modified_at desc
            ) as version_rank
        from versions
    ) as ranked
    where version_rank = 1
),

hard_delete_versions as (
    select
        last_versions.account_id,
        last_versions.parent_account_id,
        true as is_deleted,
        hard_deletes.deleted_at as system_modified_at
    from hard_deletes
    inner join last_versions on hard_deletes.account_id = last_versions.account_id
    -- a modstamp after the extract that missed it would be a clock fault;
    -- the versions then stand as they are
    where hard_deletes.deleted_at > last_versions.system_modified_at
),

all_versions as (
    select
        account_id,
        parent_account_id,
        is_deleted,
        system_modified_at
    from versions
    union all
    select
        account_id,
        parent_account_id,
        is_deleted,
        system_modified_at
    from hard_delete_versions
),

-- Consecutive versions with the same parent and delete state are one stretch.
changes as (
    select
        account_id,
        parent_account_id,
        is_deleted,
        system_modified_at,
        case
            when lag(system_modified_at) over by_time is null then 1
            when (lag(parent_account_id) over by_time is distinct from parent_account_id)
                then 1
            when (lag(is_deleted) over by_time is distinct from is_deleted) then 1
            else 0
        end as is_change
    from all_versions
    window by_time as (partition by account_id order by system_modified_at)
),

stretches as (
    select
        account_id,
        parent_account_id,
        is_deleted,
        system_modified_at as valid_from,
        lead(system_modified_at) over (
            partition by account_id order by system_modified_at
        ) as valid_to
    from changes
    where is_change = 1
),

final as (
    select
        -- keys
        accounts.company_key,
        parents.company_key as parent_company_key,
        -- ids
        stretches.account_id as crm_account_id,
        stretches.parent_account_id as parent_crm_account_id,
        -- booleans
        stretches.is_deleted,
        -- timestamps (UTC)
        stretches.valid_from,
        stretches.valid_to
    from stretches
    left join company_keys as accounts on stretches.account_id = accounts.account_id
    left join company_keys as parents on stretches.parent_account_id = parents.account_id
)

select * from final
