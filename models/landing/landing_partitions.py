"""ops.landing_partitions: the landing scan, the first node of the DAG.

One row per partition folder of the landing zone with its status
(`complete` or `incomplete`), for incomplete ones the reason naming the file,
and for complete ones the Parquet files and columns that will be loaded. It
only scans: the next node, landing_views, creates the `landing.*` views (the
dbt sources) from these rows.

The scan itself lives in the c360 package (c360.landing), where it is unit
tested; this model only wires it to dbt.
"""

from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import landing

    root = Path(dbt.config.get("raw_dir"))
    return landing.to_arrow(landing.scan(root), root)
