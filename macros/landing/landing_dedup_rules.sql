{#-
    How each base model tells a retried or re-landed copy from a new row: the
    columns that identify one row (its dedup key, as in the base model's
    _is_duplicate), the columns a faithful copy may still change (arrival
    times), the entity type ops.data_issues names, and which copy is kept.
    Every other column that does not start with '_' is content: two copies
    of one key whose content differs are a conflicting duplicate
    (ops.duplicate_conflicts).
-#}
{% macro landing_dedup_rules() -%}
    {%- set crm_kept = 'the copy from the latest extract' -%}
    {%- set snapshot_kept = 'the copy in the last file of the extract' -%}
    {#- the order the copies of one key are ranked in: the first is kept -#}
    {%- set crm_order = ['extract_date desc', '_file desc', '_file_row desc'] -%}
    {%- set snapshot_order = ['_file desc', '_file_row desc'] -%}
    {{ return({
        'base_events__messages': {
            'keys': ['message_id'],
            'order_by': ['received_at', 'extract_date', '_file', '_file_row'],
            'varies': ['received_at', 'sent_at', 'occurred_at'],
            'entity_type': 'event_message', 'kept': 'the first copy received'},
        'base_crm__accounts': {
            'keys': ['account_id', 'system_modified_at'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'crm_account', 'kept': crm_kept},
        'base_crm__contacts': {
            'keys': ['contact_id', 'system_modified_at'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'crm_contact', 'kept': crm_kept},
        'base_crm__users': {
            'keys': ['user_id', 'system_modified_at'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'crm_user', 'kept': crm_kept},
        'base_crm__opportunities': {
            'keys': ['opportunity_id', 'system_modified_at'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'crm_opportunity', 'kept': crm_kept},
        'base_billing__customers': {
            'keys': ['customer_id', 'extract_date'],
            'order_by': snapshot_order, 'varies': [],
            'entity_type': 'billing_customer', 'kept': snapshot_kept},
        'base_billing__subscriptions': {
            'keys': ['subscription_id', 'extract_date'],
            'order_by': snapshot_order, 'varies': [],
            'entity_type': 'billing_subscription', 'kept': snapshot_kept},
        'base_billing__products': {
            'keys': ['product_id', 'extract_date'],
            'order_by': snapshot_order, 'varies': [],
            'entity_type': 'billing_product', 'kept': snapshot_kept},
        'base_billing__prices': {
            'keys': ['price_id', 'extract_date'],
            'order_by': snapshot_order, 'varies': [],
            'entity_type': 'billing_price', 'kept': snapshot_kept},
        'base_billing__invoices': {
            'keys': ['invoice_id', 'extract_date'],
            'order_by': snapshot_order, 'varies': [],
            'entity_type': 'billing_invoice', 'kept': snapshot_kept},
        'base_support__tickets': {
            'keys': ['ticket_id', 'updated_at'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'support_ticket', 'kept': crm_kept},
        'base_support__nps_responses': {
            'keys': ['response_id'],
            'order_by': crm_order, 'varies': [],
            'entity_type': 'nps_response', 'kept': crm_kept},
    }) }}
{%- endmacro %}
