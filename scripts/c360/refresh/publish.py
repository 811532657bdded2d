"""Publish: give analysts a new analytics file in one rename, writing only what changed.

Marts are published as Parquet snapshots in a folder beside the analytics
file (``analytics.snapshots/``); the analytics file holds a view per mart over
its snapshot files, and the ``ops`` tables themselves (small: run log, alerts,
data issues). A mart with a partition column (``PARTITION_COLUMNS``) is cut
into one file per month of that column, any other mart is one file. Each
file is named by a fingerprint of its rows (count, an order-free sum of row
hashes, the column types), so a month or a mart whose rows did not change is
not written again: a nightly publish writes the months the night touched
(the current one, and old ones late data reached), and reads each mart once
to fingerprint it.

The new analytics file is written under a temporary name, checkpointed,
closed and ``os.replace``d over the old one: an analyst holding a read-only
connection keeps reading the old file (its views point at files that are
kept) and sees the new data on reconnecting; nobody ever sees half of each.
Snapshot files stay as long as one of the last ``KEEP_PUBLISHES`` publishes
uses them. The analytics file is written in the storage format of an older DuckDB
(``storage_version``, ``$C360_ANALYTICS_STORAGE_VERSION``) so that tools that lag
behind the library the build uses (the DuckDB CLI, SQL IDEs) can open it; the build
file keeps the current format. A publish that fails leaves the old analytics file as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from c360.errors import C360Error
from c360.settings import DEFAULT_ANALYTICS_STORAGE_VERSION

# Only these two schemas are published: every other one (staging, intermediate, and
# personal, which holds people's emails and names) stays in the build file (docs/privacy.md).
SNAPSHOT_SCHEMAS = ("marts",)  # published as views over Parquet snapshots
COPIED_SCHEMAS = ("ops",)  # copied as tables into the analytics file
PUBLISHED_SCHEMAS = SNAPSHOT_SCHEMAS + COPIED_SCHEMAS
# A mart with one of these columns (the first found) is published one file per month of it.
PARTITION_COLUMNS = ("local_date", "reporting_date", "occurred_date")
# Snapshot files used by one of the last KEEP_PUBLISHES publishes are kept: a connection
# opened on any of those analytics files can still read every view.
KEEP_PUBLISHES = 3
# Parquet cannot hold these; written as decimal(38, 0) and cast back in the view.
_WIDE_INTEGERS = {"HUGEINT", "UHUGEINT"}


@dataclass
class Published:
    tables: int = 0
    rows: int = 0
    bytes: int = 0  # the analytics file
    files_written: int = 0
    bytes_written: int = 0
    files_kept: int = 0
    snapshot_bytes: int = 0  # every file the new analytics file's views read
    files: list[str] = field(default_factory=list)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables"
        f" where table_catalog = 'build' and table_schema in ({marks})"
        " order by table_schema, table_name",
        list(schemas),
    ).fetchall()
    return [(str(s), str(t)) for s, t in rows]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = 'build' and table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [(str(c), str(t)) for c, t in rows]


def temporary_path(analytics: Path, run_id: str) -> Path:
    return analytics.with_name(f".{analytics.name}.{run_id}.publishing")


def snapshot_folder(analytics: Path) -> Path:
    return analytics.with_name(f"{analytics.stem}.snapshots")


@dataclass(frozen=True)
class _Part:
    month: str  # 'YYYY-MM', 'none' for rows without a date, 'all' for an unpartitioned mart
    rows: int
    fingerprint: str


def _parts(
    con: duckdb.DuckDBPyConnection, name: str, columns: list[tuple[str, str]], by: str | None
) -> list[_Part]:
    """Rows and a content fingerprint per month of ``by`` (or one part), in one scan."""
    types = "|".join(f"{c}:{t}" for c, t in columns)
    month = f"strftime({_quote(by)}, '%Y-%m')" if by else "'all'"
    rows = con.execute(
        f"select coalesce({month}, 'none') as part, count(*), cast(sum(hash(t)) as varchar)"
        f" from build.{name} as t group by all order by 1"
    ).fetchall()
    if not rows:
        rows = [("all", 0, "0")]
    out = []
    for part, count, digest in rows:
        seed = f"{types}\n{part}\n{count}\n{digest}".encode()
        out.append(_Part(str(part), int(count), hashlib.sha256(seed).hexdigest()[:20]))
    return out


def _write_part(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: list[tuple[str, str]],
    by: str | None,
    part: _Part,
    path: Path,
) -> None:
    select = ", ".join(
        f"cast({_quote(c)} as decimal(38, 0)) as {_quote(c)}" if t in _WIDE_INTEGERS else _quote(c)
        for c, t in columns
    )
    if by is None or part.month == "all":
        where = ""
    elif part.month == "none":
        where = f" where {_quote(by)} is null"
    else:
        where = f" where strftime({_quote(by)}, '%Y-%m') = {_literal(part.month)}"
    tmp = path.with_name(path.name + ".tmp")
    con.execute(
        f"copy (select {select} from build.{name}{where}) to {_literal(str(tmp))}"
        " (format parquet, compression zstd)"
    )
    os.replace(tmp, path)


def _view_sql(name: str, columns: list[tuple[str, str]], files: list[Path]) -> str:
    select = ", ".join(f"cast({_quote(c)} as {t}) as {_quote(c)}" for c, t in columns)
    listed = ", ".join(_literal(str(f)) for f in files)
    return f"create view {name} as select {select} from read_parquet([{listed}])"


def publish(
    build_file: Path,
    analytics: Path,
    run_id: str,
    *,
    keep_publishes: int = KEEP_PUBLISHES,
    storage_version: str = DEFAULT_ANALYTICS_STORAGE_VERSION,
) -> Published:
    """Snapshot the marts of ``build_file``, copy its ops, and swap in a new ``analytics``
    written in the storage format of DuckDB ``storage_version`` (e.g. ``v1.5.0``)."""
    analytics.parent.mkdir(parents=True, exist_ok=True)
    folder = snapshot_folder(analytics)
    tmp = temporary_path(analytics, run_id)
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    done = Published()
    try:
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": storage_version})
        try:
            con.execute(f"attach {_literal(str(build_file))} as build (read_only)")
            found = _tables(con, PUBLISHED_SCHEMAS)
            for schema in sorted({s for s, _ in found}):
                con.execute(f"create schema if not exists {_quote(schema)}")
            for schema, table in found:
                name = f"{_quote(schema)}.{_quote(table)}"
                if schema in SNAPSHOT_SCHEMAS:
                    _snapshot(con, folder, schema, table, done)
                else:
                    con.execute(f"create table {name} as select * from build.{name}")
                    counted = con.execute(f"select count(*) from {name}").fetchone()
                    done.rows += int(counted[0]) if counted else 0
                done.tables += 1
            con.execute("detach build")
            con.execute("checkpoint")
        finally:
            con.close()
        done.bytes = tmp.stat().st_size
        _write_manifest(folder, run_id, done.files)
        os.replace(tmp, analytics)
        _sync_folder(analytics.parent)
    except (duckdb.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise C360Error(
            f"publish to {analytics} failed, the previous file is unchanged: {first}"
        ) from None
    _collect_garbage(folder, keep_publishes)
    return done


def _snapshot(
    con: duckdb.DuckDBPyConnection, folder: Path, schema: str, table: str, done: Published
) -> None:
    name = f"{_quote(schema)}.{_quote(table)}"
    columns = _columns(con, schema, table)
    names = {c for c, _ in columns}
    by = next((c for c in PARTITION_COLUMNS if c in names), None)
    target = folder / schema / table
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for part in _parts(con, name, columns, by):
        path = target / f"{part.month}.{part.fingerprint}.parquet"
        if path.is_file():
            done.files_kept += 1
        else:
            _write_part(con, name, columns, by, part, path)
            done.files_written += 1
            done.bytes_written += path.stat().st_size
        done.snapshot_bytes += path.stat().st_size
        done.rows += part.rows
        files.append(path)
    done.files.extend(str(f.relative_to(folder)) for f in files)
    con.execute(_view_sql(name, columns, files))


def _write_manifest(folder: Path, run_id: str, files: list[str]) -> None:
    """The files this publish's views read, so garbage collection keeps them."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"publish-{run_id}.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"run_id": run_id, "files": sorted(files)}, indent=1))
    os.replace(tmp, path)


def _collect_garbage(folder: Path, keep_publishes: int) -> None:
    """Drop snapshot files none of the last ``keep_publishes`` publishes reads (best
    effort). After an erasure only the new publish is kept: older snapshots hold the
    person (a connection still open on an older analytics file then fails to read)."""
    manifests = sorted(folder.glob("publish-*.json"))
    keep: set[str] = set()
    for manifest in manifests[-keep_publishes:]:
        try:
            keep.update(json.loads(manifest.read_text())["files"])
        except (OSError, ValueError, KeyError):
            return  # an unreadable manifest: keep everything rather than guess
    try:
        for manifest in manifests[:-keep_publishes]:
            manifest.unlink()
        for path in folder.glob("*/*/*"):
            if str(path.relative_to(folder)) not in keep:
                path.unlink()
    except OSError:
        pass  # a file we cannot remove now goes at the next publish


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a crash right after it keeps the new file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
