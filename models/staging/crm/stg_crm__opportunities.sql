{#-
    One row per opportunity: its latest version by SystemModstamp (ties: the
    later extract). is_hard_deleted: the opportunity is missing from the
    latest complete full extract although it was seen before it (a hard
    delete in Salesforce).
-#}
with

latest as (
    {{ latest_version_per_id(
        versions=ref('stg_crm__opportunities_versions'),
        landed=ref('base_crm__opportunities'),
        partitions=ref('landing_partitions'),
        id_column='opportunity_id',
        system='crm',
        table_name='opportunities',
        order_by='system_modified_at desc, extract_date desc'
    ) }}
),

final as (
    select * from latest
)

select * from final
