"""ops.landing_partitions: the landing scan, run inside the dbt project.

One row per partition folder of the landing zone with its status
(`complete` or `incomplete`) and, for incomplete ones, the reason naming the
file. As a side effect it (re)creates one view per landing table in schema
`landing`, over the complete partitions only: those views are the dbt
sources, so nothing downstream can read an incomplete partition.

The scan itself lives in the c360 package (c360.landing), where it is unit
tested; this model only wires it to dbt.
"""

from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import landing, spec

    root = Path(dbt.config.get("raw_dir"))
    partitions = landing.scan(root)
    session.execute("create schema if not exists landing")
    for table in spec.TABLES:
        session.execute(landing.view_sql(root, table, partitions, "landing"))
    return landing.to_arrow(partitions)
