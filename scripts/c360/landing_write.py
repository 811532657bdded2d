"""Atomic partition writes into a landing zone, for the collector and the importers.

A refresh may scan the landing zone at any moment, so a partition is never
seen half written: its new version is built under ``<root>/.c360-staging/``
(the same file system, a folder the landing scan never reads), parts first
and ``_manifest.json`` last, every file fsynced, and then swapped in with one
``renameat2(RENAME_EXCHANGE)``. A per-partition ``flock`` makes writers take
turns, so the collector and an importer can add to the same day.

``create`` refuses a partition that exists; ``replace`` swaps in the new
rows; ``append`` (incremental tables only) keeps the existing parts as hard
links, adds the new rows as the next part and raises ``row_count``. Parts
are immutable: a reader holding an old file list still reads the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq

from c360 import spec
from c360.errors import C360Error

How = Literal["create", "replace", "append"]

STAGING_DIR = ".c360-staging"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class PartitionExists(C360Error):
    """A partition is already there and neither replace nor append was asked: exit code 5."""

    exit_code = 5


@dataclass(frozen=True)
class Written:
    """One partition after a write."""

    path: Path
    rows_added: int
    row_count: int
    parts: int
    how: str


def utc_now_text() -> str:
    """The manifest's ``extracted_at`` for now: ISO-8601 UTC, seconds, ``Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def partition_dir(root: Path, table: spec.Table, extract_date: dt.date) -> Path:
    return root / table.system / table.table / f"{spec.PARTITION_PREFIX}{extract_date.isoformat()}"


def conform(table: spec.Table, data: pa.Table | Sequence[Mapping[str, object]]) -> pa.Table:
    """Rows (dicts) or an Arrow table in the table's column order and spec types.

    A column the data lacks is all null; a column the spec does not name is an
    error (a mapper that invents columns is a bug, not schema drift).
    """
    schema = table.arrow_schema()
    if not isinstance(data, pa.Table):
        unknown = sorted({k for row in data for k in row} - set(table.column_names))
        if unknown:
            raise ValueError(f"{table.name}: no such column(s) {unknown}")
        return pa.Table.from_pylist([dict(row) for row in data], schema=schema)
    unknown = sorted(set(data.column_names) - set(table.column_names))
    if unknown:
        raise ValueError(f"{table.name}: no such column(s) {unknown}")
    columns = [
        data.column(field.name).cast(field.type)
        if field.name in data.column_names
        else pa.nulls(data.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


@contextlib.contextmanager
def partition_lock(root: Path, table: spec.Table, extract_date: dt.date) -> Iterator[None]:
    """One writer at a time per partition (blocks until the other has swapped)."""
    locks = root / STAGING_DIR / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    name = f"{table.system}.{table.table}.{extract_date.isoformat()}.lock"
    with (locks / name).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_manifest(path: Path) -> dict[str, object] | None:
    try:
        loaded = json.loads((path / spec.MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _parts(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.suffix == ".parquet" and p.is_file())


def _complete(path: Path, manifest: Mapping[str, object] | None) -> bool:
    if manifest is None or not isinstance(manifest.get("row_count"), int):
        return False
    try:
        rows: int = sum(pq.ParquetFile(p).metadata.num_rows for p in _parts(path))
    except (OSError, pa.ArrowException):
        return False
    return bool(rows == manifest["row_count"])


def _write_part(data: pa.Table, path: Path) -> None:
    pq.write_table(
        data, path, compression="zstd", row_group_size=min(max(1, data.num_rows), 1_000_000)
    )
    _fsync_path(path)


def _stage(
    stage: Path,
    target: Path,
    table: spec.Table,
    data: pa.Table,
    how: How,
    max_parts: int | None,
) -> tuple[int, int]:
    """Fill ``stage`` with the new version; return (row_count, parts)."""
    existing = _parts(target) if how == "append" and target.is_dir() else []
    if max_parts is not None and existing and len(existing) + 1 > max_parts:
        merged = pa.concat_tables([conform(table, pq.read_table(p)) for p in existing] + [data])
        _write_part(merged, stage / "part-0000.parquet")
        return merged.num_rows, 1
    rows = 0
    for part in existing:
        os.link(part, stage / part.name)
        rows += pq.ParquetFile(part).metadata.num_rows
    number = 1 + max(
        (int(p.stem.rsplit("-", 1)[-1]) for p in existing if p.stem[-4:].isdigit()), default=-1
    )
    if data.num_rows or not existing:
        _write_part(data, stage / f"part-{number:04d}.parquet")
    return rows + data.num_rows, len(_parts(stage))


def write_partition(
    root: Path,
    table: spec.Table,
    extract_date: dt.date,
    mode: spec.Mode,
    data: pa.Table,
    *,
    how: How = "create",
    extracted_at: str | None = None,
    max_parts: int | None = None,
) -> Written:
    """Land ``data`` as (part of) one partition, atomically; see the module doc."""
    if mode not in table.modes:
        raise C360Error(
            f"{table.name} does not land {mode} extracts (it lands {', '.join(table.modes)})"
        )
    if how == "append" and mode != "incremental":
        raise C360Error(f"{table.name}: only incremental extracts can be appended to, not {mode}")
    data = conform(table, data)
    target = partition_dir(root, table, extract_date)
    rel = target.relative_to(root).as_posix()
    staging = root / STAGING_DIR
    with partition_lock(root, table, extract_date):
        exists = target.is_dir()
        manifest = _read_manifest(target) if exists else None
        complete = exists and _complete(target, manifest)
        if exists and how == "create":
            state = "complete" if complete else "incomplete"
            raise PartitionExists(
                f"{rel} already exists ({state}); pass --replace to overwrite it"
                + (" or --append to add to it" if "incremental" in table.modes else "")
            )
        if exists and how == "append":
            if not complete:
                raise PartitionExists(
                    f"{rel} is incomplete: cannot append to it (--replace overwrites it)"
                )
            if manifest is not None and manifest.get("mode") != mode:
                raise PartitionExists(
                    f"{rel} is a {manifest.get('mode')} extract: cannot append {mode} rows"
                )
        prefix = f"{table.system}.{table.table}.{extract_date.isoformat()}."
        for stale in staging.glob(prefix + "*"):  # a writer that crashed before its cleanup
            shutil.rmtree(stale, ignore_errors=True)
        stage = staging / f"{prefix}{uuid.uuid4().hex}"
        stage.mkdir(parents=True)
        try:
            row_count, parts = _stage(stage, target, table, data, how, max_parts)
            body = {
                "system": table.system,
                "table": table.table,
                "extract_date": extract_date.isoformat(),
                "mode": mode,
                "row_count": row_count,
                "extracted_at": extracted_at or utc_now_text(),
            }
            (stage / spec.MANIFEST_NAME).write_text(json.dumps(body) + "\n", encoding="utf-8")
            _fsync_path(stage / spec.MANIFEST_NAME)
            _fsync_path(stage, directory=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            if exists:
                _exchange(stage, target)
            else:
                os.rename(stage, target)
            _fsync_path(target.parent, directory=True)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return Written(target, data.num_rows, row_count, parts, how if exists else "create")
