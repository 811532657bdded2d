{#-
    The base models, one per landing table, that ops models union. Every
    base model follows the same contract (see models/staging/_staging__docs.md):
    one row per landed row with _record_key, _reject_column/_value/_reason,
    _is_duplicate and the lineage columns.
-#}
{% macro landing_base_models() -%}
    {{ return([
        ('events/messages', 'base_events__messages'),
        ('crm/accounts', 'base_crm__accounts'),
        ('crm/contacts', 'base_crm__contacts'),
        ('crm/users', 'base_crm__users'),
        ('crm/opportunities', 'base_crm__opportunities'),
        ('billing/customers', 'base_billing__customers'),
        ('billing/subscriptions', 'base_billing__subscriptions'),
        ('billing/products', 'base_billing__products'),
        ('billing/prices', 'base_billing__prices'),
        ('billing/invoices', 'base_billing__invoices'),
        ('support/tickets', 'base_support__tickets'),
        ('support/nps_responses', 'base_support__nps_responses'),
    ]) }}
{%- endmacro %}
