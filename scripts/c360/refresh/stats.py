"""What a finished build loaded, read from the build file: per table landed,
loaded, rejected and duplicate rows, incomplete partitions, stale sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb


@dataclass
class BuildStats:
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    incomplete_partitions: int = 0
    rejected_rows: int = 0
    duplicate_rows: int = 0
    unreconciled: int = 0
    stale_sources: list[str] = field(default_factory=list)


def read_stats(con: duckdb.DuckDBPyConnection, stale_days: int) -> BuildStats:
    stats = BuildStats()
    rows = con.execute(
        "select source_table, count(*), sum(landed_rows), sum(loaded_rows),"
        " sum(rejected_rows), sum(duplicate_rows), count(*) filter (where not is_reconciled),"
        " max(extract_date)"
        " from ops.load_reconciliation where status = 'complete' group by 1 order by 1"
    ).fetchall()
    newest: dict[str, dt.date] = {}
    for name, parts, landed, loaded, rejected, dups, unreconciled, last in rows:
        stats.tables[str(name)] = {
            "partitions": int(parts),
            "landed": int(landed or 0),
            "loaded": int(loaded or 0),
            "rejected": int(rejected or 0),
            "duplicates": int(dups or 0),
        }
        stats.rejected_rows += int(rejected or 0)
        stats.duplicate_rows += int(dups or 0)
        stats.unreconciled += int(unreconciled or 0)
        if last is not None:
            newest[str(name)] = last
    found = con.execute(
        "select count(*) from ops.landing_partitions where status <> 'complete'"
    ).fetchone()
    stats.incomplete_partitions = int(found[0]) if found else 0
    if newest:
        latest = max(newest.values())
        stats.stale_sources = [
            f"{name}: newest complete extract {day.isoformat()}, {(latest - day).days} days"
            f" behind {latest.isoformat()}"
            for name, day in sorted(newest.items())
            if (latest - day).days > stale_days
        ]
    return stats
