"""ops.landing_views: create the `landing.*` views, the dbt sources.

The named step between the scan and staging: from the scan's rows
(ops.landing_partitions) it (re)creates one view per landing table in schema
`landing`, over that table's complete partitions only, so nothing downstream
can read an incomplete partition. Every base_ staging model depends on this
node, so the views exist before anything reads them. Returns one row per view.
"""

from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import landing, spec

    root = Path(dbt.config.get("raw_dir"))
    scanned = dbt.ref("landing_partitions")
    partitions = landing.from_rows(scanned.columns, scanned.fetchall(), root)
    session.execute("create schema if not exists landing")
    for table in spec.TABLES:
        session.execute(landing.view_sql(root, table, partitions, "landing"))
    return landing.views_to_arrow(partitions, "landing")
