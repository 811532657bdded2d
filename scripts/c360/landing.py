"""Scan a landing zone: which partitions are complete, and why the others are not.

A partition is complete only when its ``_manifest.json`` exists, names the
partition it sits in, and the Parquet files in it are readable, have every
required column, and together hold exactly ``row_count`` rows. Anything else
is incomplete: it is reported with a reason naming the file and never loaded.

The scan reads Parquet footers (row counts, column names and types) and,
once per file, the text of every string column: a column whose Parquet type
cannot hold what the spec describes (a struct or list where text is
expected) or text that is not valid UTF-8 makes the partition incomplete,
naming file, column and type or row, so no bad file can fail a model. Files
already verified (same size and modification time, listed in ``verified``)
are not read again, so a nightly scan reads only what landed since.

It runs inside the dbt project (the ``ops.landing_partitions`` Python
model, the first node) and from ``c360``; the next node,
``ops.landing_views``, creates the views with ``view_sql`` from the scan's
rows (``from_rows``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from c360 import spec

COMPLETE = "complete"
INCOMPLETE = "incomplete"

# A file's identity for the verified-files cache: (size in bytes, mtime in ns).
Stamp = tuple[int, int]


@dataclass
class Partition:
    system: str
    table_name: str
    extract_date: dt.date | None
    path: str  # relative to the landing root, with forward slashes
    status: str = COMPLETE
    reasons: list[str] = field(default_factory=list)
    mode: str | None = None
    manifest_row_count: int | None = None
    file_row_count: int = 0
    extracted_at: dt.datetime | None = None
    file_count: int = 0
    files: list[str] = field(default_factory=list)  # absolute paths, complete partitions only
    columns: set[str] = field(default_factory=set)  # union over its files
    stamps: dict[str, Stamp] = field(default_factory=dict)  # verified files: path -> stamp
    fingerprint: str | None = None  # set by from_rows (to_arrow computes it)

    def fail(self, reason: str) -> None:
        self.status = INCOMPLETE
        self.reasons.append(reason)

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None


def _parse_instant(text: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _check_manifest(part: Partition, manifest_path: Path, table: spec.Table) -> None:
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        part.fail(f"unreadable {spec.MANIFEST_NAME}: {exc}")
        return
    if not isinstance(manifest, dict):
        part.fail(f"{spec.MANIFEST_NAME} is not a JSON object")
        return
    missing = [k for k in spec.MANIFEST_KEYS if k not in manifest]
    if missing:
        part.fail(f"{spec.MANIFEST_NAME} lacks {', '.join(missing)}")
    for key, expected in (("system", table.system), ("table", table.table)):
        if key in manifest and manifest[key] != expected:
            part.fail(f"{spec.MANIFEST_NAME} says {key} {manifest[key]!r}, path says {expected!r}")
    if (
        "extract_date" in manifest
        and part.extract_date is not None
        and manifest["extract_date"] != part.extract_date.isoformat()
    ):
        part.fail(
            f"{spec.MANIFEST_NAME} says extract_date {manifest['extract_date']!r}, "
            f"path says {part.extract_date.isoformat()!r}"
        )
    mode = manifest.get("mode")
    if "mode" in manifest:
        if mode not in ("incremental", "full"):
            part.fail(f"{spec.MANIFEST_NAME} mode {mode!r} is not incremental or full")
        elif mode not in table.modes:
            part.fail(f"{table.name} does not land {mode} extracts")
        else:
            part.mode = mode
    count = manifest.get("row_count")
    if "row_count" in manifest:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            part.fail(f"{spec.MANIFEST_NAME} row_count {count!r} is not a whole number")
        else:
            part.manifest_row_count = count
    if "extracted_at" in manifest:
        part.extracted_at = _parse_instant(manifest["extracted_at"])
        if part.extracted_at is None:
            part.fail(
                f"{spec.MANIFEST_NAME} extracted_at {manifest['extracted_at']!r} "
                "is not ISO-8601 with a zone"
            )


def type_problem(column: spec.Column, found: pa.DataType) -> str | None:
    """Why a file's Parquet type cannot hold ``column``'s values, or None.

    Readers cast scalars (an id written as an integer is fine); nested values
    (struct, list, map) fit no column, and bytes without a text annotation are
    not text.
    """
    nested_dictionary = pa.types.is_dictionary(found) and pa.types.is_nested(found.value_type)
    if pa.types.is_nested(found) or nested_dictionary:
        return f"is {found}, a nested type, where the spec has {column.sql_type}"
    if column.arrow_type == spec.STR and (
        pa.types.is_binary(found)
        or pa.types.is_large_binary(found)
        or pa.types.is_fixed_size_binary(found)
    ):
        return f"is {found} (bytes, not text) where the spec has {column.sql_type}"
    return None


def _invalid_utf8_row(values: pa.ChunkedArray) -> int | None:
    """The 0-based row of the first string that is not valid UTF-8, or None."""
    offset = 0
    for chunk in values.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid:
            for i, raw in enumerate(chunk.cast(pa.binary()).to_pylist()):
                try:
                    (raw or b"").decode("utf-8")
                except UnicodeDecodeError:
                    return offset + i
        offset += len(chunk)
    return None


def _check_file_values(part: Partition, path: Path, table: spec.Table, schema: pa.Schema) -> bool:
    """Types of the spec's columns in one file, then (unless verified) their text."""
    ok = True
    text_columns = []
    for column in table.columns:
        index = schema.get_field_index(column.name)
        if index < 0:
            continue
        found = schema.field(index).type
        problem = type_problem(column, found)
        if problem is not None:
            part.fail(f"column {column.name!r} in {path.name} {problem}")
            ok = False
        elif pa.types.is_string(found) or pa.types.is_large_string(found):
            text_columns.append(column.name)
    return ok and _check_text(part, path, text_columns)


def _check_text(part: Partition, path: Path, columns: list[str]) -> bool:
    if not columns:
        return True
    try:
        values = pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        part.fail(f"unreadable file {path.name}: {str(exc).splitlines()[0]}")
        return False
    ok = True
    for name in columns:
        row = _invalid_utf8_row(values.column(name))
        if row is not None:
            part.fail(f"column {name!r} in {path.name} row {row} is not valid UTF-8 text")
            ok = False
    return ok


def _stamp(path: Path) -> Stamp:
    info = path.stat()
    return (info.st_size, info.st_mtime_ns)


def _check_files(
    part: Partition, part_dir: Path, table: spec.Table, verified: Mapping[str, Stamp]
) -> None:
    files = sorted(p for p in part_dir.iterdir() if p.suffix == ".parquet" and p.is_file())
    rows = 0
    for path in files:
        try:
            parquet = pq.ParquetFile(path)
            meta = parquet.metadata
            schema = parquet.schema_arrow
            names = set(schema.names)  # top-level columns, not leaves
        except (OSError, pa.ArrowException) as exc:
            part.fail(f"unreadable file {path.name}: {str(exc).splitlines()[0]}")
            continue
        missing = [c for c in table.required_columns if c not in names]
        for column in missing:
            part.fail(f"missing required column {column!r} in {path.name}")
        absolute = str(path.resolve())
        stamp = _stamp(path)
        if verified.get(absolute) == stamp or _check_file_values(part, path, table, schema):
            part.stamps[absolute] = stamp
        rows += meta.num_rows
        part.columns |= names
        part.files.append(absolute)
    part.file_row_count = rows
    part.file_count = len(files)
    if not files and part.manifest_row_count not in (None, 0):
        part.fail("no Parquet files")
    if (
        part.manifest_row_count is not None
        and part.status == COMPLETE
        and rows != part.manifest_row_count
    ):
        part.fail(
            f"row count mismatch: {spec.MANIFEST_NAME} says {part.manifest_row_count}, "
            f"files hold {rows}"
        )


def scan_partition(
    root: Path, table: spec.Table, part_dir: Path, verified: Mapping[str, Stamp] | None = None
) -> Partition:
    """One partition's state. A writer that swaps a new version in while it is
    read (c360.landing_write) changes the folder's inode: it is read again, so
    a manifest is never checked against another version's files."""
    for _ in range(3):
        before = _inode(part_dir)
        part = _scan_partition_once(root, table, part_dir, verified)
        if _inode(part_dir) == before:
            break
    return part


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _scan_partition_once(
    root: Path, table: spec.Table, part_dir: Path, verified: Mapping[str, Stamp] | None
) -> Partition:
    name = part_dir.name
    extract_date: dt.date | None = None
    if name.startswith(spec.PARTITION_PREFIX):
        try:
            extract_date = dt.date.fromisoformat(name[len(spec.PARTITION_PREFIX) :])
        except ValueError:
            extract_date = None
    part = Partition(table.system, table.table, extract_date, part_dir.relative_to(root).as_posix())
    if extract_date is None:
        part.fail(f"folder name {name!r} is not {spec.PARTITION_PREFIX}YYYY-MM-DD")
        return part
    manifest = part_dir / spec.MANIFEST_NAME
    if not manifest.is_file():
        part.fail(f"no {spec.MANIFEST_NAME}")
    else:
        _check_manifest(part, manifest, table)
    _check_files(part, part_dir, table, verified or {})
    if part.status != COMPLETE:
        part.files = []
        part.stamps = {}
    return part


def scan(root: Path, verified: Mapping[str, Stamp] | None = None) -> list[Partition]:
    """Every partition folder of every spec table under ``root``, in a stable order.

    ``verified``: files (absolute path -> stamp) an earlier scan read in full
    and found good; they are not read again while their stamp is the same.
    """
    out: list[Partition] = []
    for table in spec.TABLES:
        table_dir = root / table.system / table.table
        if not table_dir.is_dir():
            continue
        # a hidden folder is a writer's work in progress, never a partition
        for part_dir in sorted(
            p for p in table_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        ):
            out.append(scan_partition(root, table, part_dir, verified))
    return out


def _relative(root: Path, path: str) -> str:
    return Path(path).relative_to(root.resolve()).as_posix()


def fingerprint(part: Partition, root: Path) -> str | None:
    """What a complete partition loads, as a hash: its manifest's mode, time and
    row count and each file's relative path, size and modification time.

    Incremental staging models reload a partition whose fingerprint differs
    from the one its rows were loaded with (a re-landed partition); null for
    an incomplete partition, which is never loaded.
    """
    if part.status != COMPLETE:
        return None
    content = {
        "mode": part.mode,
        "extracted_at": part.extracted_at.isoformat() if part.extracted_at else None,
        "row_count": part.manifest_row_count,
        "files": [[_relative(root, f), *part.stamps.get(f, (-1, -1))] for f in sorted(part.files)],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def to_arrow(partitions: list[Partition], root: Path) -> pa.Table:
    """One row per partition, as ``ops.landing_partitions`` stores it.

    ``parquet_files`` (relative to ``root``) and ``parquet_columns`` are what
    a complete partition loads (empty for incomplete ones).
    """
    return pa.table(
        {
            "system": pa.array([p.system for p in partitions], pa.string()),
            "table_name": pa.array([p.table_name for p in partitions], pa.string()),
            "extract_date": pa.array([p.extract_date for p in partitions], pa.date32()),
            "partition_path": pa.array([p.path for p in partitions], pa.string()),
            "status": pa.array([p.status for p in partitions], pa.string()),
            "reason": pa.array([p.reason for p in partitions], pa.string()),
            "load_mode": pa.array([p.mode for p in partitions], pa.string()),
            "manifest_row_count": pa.array([p.manifest_row_count for p in partitions], pa.int64()),
            "file_row_count": pa.array([p.file_row_count for p in partitions], pa.int64()),
            "file_count": pa.array([p.file_count for p in partitions], pa.int64()),
            "extracted_at": pa.array([p.extracted_at for p in partitions], pa.timestamp("us")),
            "fingerprint": pa.array([fingerprint(p, root) for p in partitions], pa.string()),
            "parquet_files": pa.array(
                [[_relative(root, f) for f in p.files] for p in partitions], pa.list_(pa.string())
            ),
            "parquet_columns": pa.array(
                [sorted(p.columns) if p.files else [] for p in partitions], pa.list_(pa.string())
            ),
            "verified_files": pa.array(
                [
                    [
                        {"file": _relative(root, f), "size": size, "mtime_ns": mtime}
                        for f, (size, mtime) in sorted(p.stamps.items())
                    ]
                    for p in partitions
                ],
                pa.list_(
                    pa.struct(
                        [("file", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64())]
                    )
                ),
            ),
        }
    )


def verified_from_rows(rows: list[tuple[object, ...]], root: Path) -> dict[str, Stamp]:
    """The verified-files cache from ``(file, size, mtime_ns)`` rows of an earlier scan."""
    base = root.resolve()
    return {str(base / str(f)): (int(s), int(m)) for f, s, m in rows}  # type: ignore[call-overload]


def from_rows(names: list[str], rows: list[tuple[object, ...]], root: Path) -> list[Partition]:
    """The complete partitions back from ``ops.landing_partitions`` rows, for ``view_sql``."""
    out = []
    for values in rows:
        row = dict(zip(names, values, strict=True))
        if row["status"] != COMPLETE:
            continue
        out.append(
            Partition(
                system=str(row["system"]),
                table_name=str(row["table_name"]),
                extract_date=row["extract_date"],  # type: ignore[arg-type]
                path=str(row["partition_path"]),
                mode=row["load_mode"],  # type: ignore[arg-type]
                extracted_at=row["extracted_at"],  # type: ignore[arg-type]
                file_row_count=int(row["file_row_count"] or 0),  # type: ignore[call-overload]
                files=[str(root.resolve() / f) for f in row["parquet_files"]],  # type: ignore[attr-defined]
                columns=set(row["parquet_columns"]),  # type: ignore[call-overload]
                fingerprint=row.get("fingerprint"),  # type: ignore[arg-type]
            )
        )
    return out


def views_to_arrow(partitions: list[Partition], schema: str) -> pa.Table:
    """One row per landing view ``ops.landing_views`` created, with what it reads."""
    names = [f"{schema}.{t.system}__{t.table}" for t in spec.TABLES]
    mine = [
        [
            p
            for p in partitions
            if p.status == COMPLETE and (p.system, p.table_name) == (t.system, t.table)
        ]
        for t in spec.TABLES
    ]
    return pa.table(
        {
            "view_name": pa.array(names, pa.string()),
            "system": pa.array([t.system for t in spec.TABLES], pa.string()),
            "table_name": pa.array([t.table for t in spec.TABLES], pa.string()),
            "partition_count": pa.array([len(m) for m in mine], pa.int64()),
            "file_count": pa.array([sum(len(p.files) for p in m) for m in mine], pa.int64()),
            "row_count": pa.array([sum(p.file_row_count for p in m) for m in mine], pa.int64()),
        }
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def view_sql(root: Path, table: spec.Table, partitions: list[Partition], schema: str) -> str:
    """``create view`` over the complete partitions of one table.

    Columns: every spec column (a column no file has is a typed null; columns
    the spec does not name are left out), then ``extract_date``,
    ``_load_mode``, ``_extracted_at`` and ``_partition_fingerprint`` (from
    the manifest and the scan), ``_file`` (path relative to the landing
    root) and ``_file_row`` (0-based row in the file).
    """
    name = f"{schema}.{table.system}__{table.table}"
    complete = [
        p
        for p in partitions
        if p.status == COMPLETE and (p.system, p.table_name) == (table.system, table.table)
    ]
    files = [f for p in complete for f in p.files]
    present = set().union(*(p.columns for p in complete)) if complete else set()
    if not files:
        cols = ",\n    ".join(
            f"cast(null as {c.sql_type}) as {_quote(c.name)}" for c in table.columns
        )
        return (
            f"create or replace view {name} as\nselect\n    {cols},\n"
            "    cast(null as date) as extract_date,\n"
            "    cast(null as varchar) as _load_mode,\n"
            "    cast(null as timestamp) as _extracted_at,\n"
            "    cast(null as varchar) as _file,\n"
            "    cast(null as bigint) as _file_row,\n"
            "    cast(null as varchar) as _partition_fingerprint\nwhere false"
        )
    cols = ",\n    ".join(
        f"src.{_quote(c.name)}"
        if c.name in present
        else f"cast(null as {c.sql_type}) as {_quote(c.name)}"
        for c in table.columns
    )
    file_list = ", ".join(_literal(f) for f in files)
    prefix = str(root.resolve()).rstrip("/") + "/"
    manifests = ", ".join(
        f"(date {_literal(p.extract_date.isoformat())}, {_literal(p.mode or '')}, "
        + (_literal(p.fingerprint) if p.fingerprint else "cast(null as varchar)")
        + ", "
        + (
            f"timestamp {_literal(p.extracted_at.isoformat(sep=' '))}"
            if p.extracted_at
            else "cast(null as timestamp)"
        )
        + ")"
        for p in complete
        if p.extract_date is not None
    )
    return (
        f"create or replace view {name} as\n"
        "with manifests (extract_date, load_mode, fingerprint, extracted_at) as (\n"
        f"    values {manifests}\n)\n"
        f"select\n    {cols},\n"
        "    src.extract_date,\n"
        "    manifests.load_mode as _load_mode,\n"
        "    manifests.extracted_at as _extracted_at,\n"
        f"    replace(src.filename, {_literal(prefix)}, '') as _file,\n"
        "    src.file_row_number as _file_row,\n"
        "    manifests.fingerprint as _partition_fingerprint\n"
        f"from read_parquet([{file_list}], hive_partitioning = true,\n"
        "    hive_types = {'extract_date': date}, union_by_name = true,\n"
        "    filename = true, file_row_number = true) as src\n"
        "join manifests on manifests.extract_date = src.extract_date"
    )
