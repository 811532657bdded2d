{#-
    One row per user: its latest version by SystemModstamp (ties: the later
    extract). is_hard_deleted: the user is missing from the latest complete
    full extract although it was seen before it (a hard delete in
    Salesforce).
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_crm__users_versions'),
        landed=ref('base_crm__users'),
        partitions=ref('landing_partitions'),
        id_column='user_id',
        system='crm',
        table_name='users',
        order_by='system_modified_at desc, extract_date desc'
    ) }}
),

final as (
    select * from latest
)

select * from final
