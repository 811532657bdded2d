"""ops.landing_partitions: the landing scan, the first node of the DAG.

One row per partition folder of the landing zone with its status
(`complete` or `incomplete`), for incomplete ones the reason naming the file
(and column, type or row), and for complete ones the Parquet files and
columns that will be loaded. It only scans: the next node, landing_views,
creates the `landing.*` views (the dbt sources) from these rows.

Each file's text is read once: the files the previous scan verified (same
size and modification time, in its `verified_files`) are not read again.

The scan itself lives in the c360 package (c360.landing), where it is unit
tested; this model only wires it to dbt.
"""

from pathlib import Path


def _previously_verified(dbt, session, root):
    from c360 import landing

    this = dbt.this
    found = session.execute(
        "select count(*) from information_schema.columns"
        f" where table_schema = '{this.schema}' and table_name = '{this.identifier}'"
        " and column_name = 'verified_files'"
    ).fetchone()[0]
    if not found:
        return {}
    rows = session.execute(
        f"select v.file, v.size, v.mtime_ns from (select unnest(verified_files) as v from {this})"
    ).fetchall()
    return landing.verified_from_rows(rows, root)


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import landing

    root = Path(dbt.config.get("raw_dir"))
    verified = {} if dbt.config.get("full_refresh") else _previously_verified(dbt, session, root)
    return landing.to_arrow(landing.scan(root, verified), root)
