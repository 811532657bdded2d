"""dbt-score rules for the house style (make lint-dbt): layer prefixes and mart contracts."""
