"""Publish: copy the analysts' schemas from the build file into a new analytics
file and rename it into place in one step.

The new file is written beside the analytics file under a temporary name,
checkpointed and closed, then ``os.replace``d over it: an analyst holding a
read-only connection keeps reading the old file (the old inode) undisturbed
and sees the new data on reconnecting; nobody ever sees half of each. A
publish that fails leaves the old analytics file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from c360.errors import C360Error

PUBLISHED_SCHEMAS = ("marts", "ops")


@dataclass(frozen=True)
class Published:
    tables: int
    rows: int
    bytes: int


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables"
        f" where table_catalog = 'build' and table_schema in ({marks})"
        " order by table_schema, table_name",
        list(schemas),
    ).fetchall()
    return [(str(s), str(t)) for s, t in rows]


def temporary_path(analytics: Path, run_id: str) -> Path:
    return analytics.with_name(f".{analytics.name}.{run_id}.publishing")


def publish(
    build_file: Path,
    analytics: Path,
    run_id: str,
    schemas: Sequence[str] = PUBLISHED_SCHEMAS,
) -> Published:
    """Copy ``schemas`` (tables and views, as tables) of ``build_file`` into ``analytics``."""
    analytics.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(analytics, run_id)
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    rows = 0
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach {_literal(str(build_file))} as build (read_only)")
            found = _tables(con, schemas)
            for schema in sorted({s for s, _ in found}):
                con.execute(f"create schema if not exists {_quote(schema)}")
            for schema, table in found:
                name = f"{_quote(schema)}.{_quote(table)}"
                con.execute(f"create table {name} as select * from build.{name}")
                counted = con.execute(f"select count(*) from {name}").fetchone()
                rows += int(counted[0]) if counted else 0
            con.execute("detach build")
            con.execute("checkpoint")
        finally:
            con.close()
        size = tmp.stat().st_size
        os.replace(tmp, analytics)
        _sync_folder(analytics.parent)
    except (duckdb.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise C360Error(
            f"publish to {analytics} failed, the previous file is unchanged: {first}"
        ) from None
    return Published(len(found), rows, size)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a crash right after it keeps the new file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
