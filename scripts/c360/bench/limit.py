"""The limit: one DuckDB pass that any refresh of this landing zone must at least make.

Every complete partition of every table is read once (the events and the daily full
CRM and billing extracts alike). The events' JSON columns are parsed once, the
messages are deduplicated by ``messageId`` (first received kept), and every table is
written typed into a fresh DuckDB file. No model logic, no tests: what is left of a
refresh's time above this is what the pipeline adds.

Run as ``python -m c360.bench.limit RAW OUT.duckdb`` so that ``c360 bench`` measures it
like the refresh, as a process tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from c360 import landing, spec

EVENTS = "events/messages"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(table: spec.Table, files: list[str]) -> str:
    listed = ", ".join(_literal(f) for f in files)
    source = f"read_parquet([{listed}], union_by_name = true)"
    if table.name != EVENTS:
        return f"select * from {source}"
    return (
        "select * exclude (context, properties, traits, receivedAt, sentAt, timestamp),"
        " try_cast(context as json) as context, try_cast(properties as json) as properties,"
        " try_cast(traits as json) as traits,"
        " try_cast(receivedAt as timestamptz) as received_at,"
        " try_cast(sentAt as timestamptz) as sent_at,"
        " try_cast(timestamp as timestamptz) as device_timestamp_at"
        f" from {source}"
        ' qualify row_number() over (partition by "messageId" order by received_at) = 1'
    )


def run(raw: Path, out: Path) -> int:
    """Load every complete partition of ``raw`` into ``out``; returns the rows written."""
    complete = [p for p in landing.scan(raw) if p.status == landing.COMPLETE]
    out.unlink(missing_ok=True)
    rows = 0
    with duckdb.connect(str(out)) as con:
        con.execute("set timezone = 'UTC'")
        for table in spec.TABLES:
            files = [
                f for p in complete if f"{p.system}/{p.table_name}" == table.name for f in p.files
            ]
            if not files:
                continue
            name = f'"{table.system}__{table.table}"'
            con.execute(f"create table {name} as {_select(table, files)}")
            counted = con.execute(f"select count(*) from {name}").fetchone()
            rows += int(counted[0]) if counted else 0
        con.execute("checkpoint")
    return rows


def main(argv: list[str]) -> int:
    raw, out = Path(argv[0]), Path(argv[1])
    rows = run(raw, out)
    print(f"limit: {rows} rows written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
