"""The run log: one row per refresh in ``ops.refresh_runs`` and one per alert in
``ops.alerts`` (in the build file, and so in the published file), plus a line
per run in ``refresh_runs.jsonl`` beside the warehouse, written even when no
DuckDB file can be opened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from c360.refresh.guard import TableTotals

RUNS_DDL = """
create table if not exists ops.refresh_runs (
    run_id varchar primary key,
    started_at timestamp,
    finished_at timestamp,
    status varchar,
    exit_code integer,
    message varchar,
    landing_dir varchar,
    tables json,
    incomplete_partitions bigint,
    rejected_rows bigint,
    duplicate_rows bigint,
    tests_failed bigint,
    tests_warned bigint,
    stale_sources json,
    warnings json,
    stage_seconds json
)
"""

ALERTS_DDL = """
create table if not exists ops.alerts (
    run_id varchar,
    raised_at timestamp,
    severity varchar,
    message varchar,
    webhook_status varchar
)
"""


@dataclass
class RunRecord:
    """What one refresh did; ``status`` is published, published_with_warnings, failed or refused."""

    run_id: str
    started_at: str  # ISO, UTC, naive
    landing_dir: str
    finished_at: str | None = None
    status: str = "running"
    exit_code: int | None = None
    message: str | None = None
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    incomplete_partitions: int = 0
    rejected_rows: int = 0
    duplicate_rows: int = 0
    tests_failed: int = 0
    tests_warned: int = 0
    stale_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def landing_totals(self) -> dict[str, TableTotals]:
        return {
            name: TableTotals(int(t.get("partitions", 0)), int(t.get("landed", 0)))
            for name, t in self.tables.items()
        }


_JSON_FIELDS = ("tables", "stale_sources", "warnings", "stage_seconds")


def write(con: duckdb.DuckDBPyConnection, record: RunRecord) -> None:
    """Insert or replace the run's row (the build file's ops schema)."""
    con.execute("create schema if not exists ops")
    con.execute(RUNS_DDL)
    values: dict[str, Any] = asdict(record)
    for key in _JSON_FIELDS:
        values[key] = json.dumps(values[key], sort_keys=True)
    names = list(values)
    con.execute("delete from ops.refresh_runs where run_id = ?", [record.run_id])
    con.execute(
        f"insert into ops.refresh_runs ({', '.join(names)})"
        f" values ({', '.join('?' for _ in names)})",
        [values[n] for n in names],
    )


def write_alert(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    raised_at: str,
    severity: str,
    message: str,
    webhook_status: str,
) -> None:
    con.execute("create schema if not exists ops")
    con.execute(ALERTS_DDL)
    con.execute(
        "insert into ops.alerts values (?, ?, ?, ?, ?)",
        [run_id, raised_at, severity, message, webhook_status],
    )


def append_jsonl(path: Path, record: RunRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(record), sort_keys=True) + "\n")


def last_published(analytics: Path) -> Mapping[str, TableTotals] | None:
    """The landing totals behind the published file, or None when there is none yet."""
    if not analytics.is_file():
        return None
    try:
        con = duckdb.connect(str(analytics), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(
            "select tables from ops.refresh_runs"
            " where status in ('published', 'published_with_warnings')"
            " order by finished_at desc limit 1"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if row is None or row[0] is None:
        return None
    tables = json.loads(row[0])
    return {
        name: TableTotals(int(t.get("partitions", 0)), int(t.get("landed", 0)))
        for name, t in tables.items()
    }
