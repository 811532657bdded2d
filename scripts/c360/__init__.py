"""customer360: a dbt + DuckDB customer and company model, and its command-line tool."""

__version__ = "0.1.0"
