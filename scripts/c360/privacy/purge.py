"""``--purge-raw``: rewrite the landed partitions without an erased person's rows.

For each partition of a person table (and billing customers, whose email is
nulled instead), the files holding a row of the person are rewritten without
it into a hidden sibling folder, the unchanged files hard-linked beside
them, and the manifest written last with the new ``row_count``; then the
folder is swapped in (the old one renamed away, the new one renamed into
place, the old one removed). A crash between the two renames is finished by
the next purge (``recover``): the landing scan never reads a hidden folder,
so it never sees half a partition.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from c360 import spec
from c360.privacy.tables import PERSON_TABLES, REDACTED_TABLES, PersonTable

_NEW = ".purging"
_OLD = ".purged"


@dataclass(frozen=True)
class Purged:
    table: str  # system/table
    partitions: int
    rows: int  # removed (or, for a redacted table, rows whose value was nulled)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _hidden(part: Path, suffix: str) -> Path:
    return part.with_name(f".{part.name}{suffix}")


def recover(raw: Path) -> None:
    """Finish or undo a purge a crash interrupted."""
    for table in (*PERSON_TABLES, *REDACTED_TABLES):
        folder = raw / table.system / table.table
        if not folder.is_dir():
            continue
        for new in folder.glob(f".{spec.PARTITION_PREFIX}*{_NEW}"):
            part = folder / new.name[1 : -len(_NEW)]
            if not part.exists() and (new / spec.MANIFEST_NAME).is_file():
                os.rename(new, part)  # the old one was renamed away: finish
            else:
                shutil.rmtree(new)  # never swapped in: undo
        for old in folder.glob(f".{spec.PARTITION_PREFIX}*{_OLD}"):
            shutil.rmtree(old)


def _condition(
    con: duckdb.DuckDBPyConnection, file: Path, table: PersonTable, hashes: str
) -> str | None:
    """SQL true for a row of the file that carries an erased identifier (None: no
    identifier column in this file, or no row that matches)."""
    present = {
        str(r[0])
        for r in con.execute(f"describe select * from read_parquet({_lit(str(file))})").fetchall()
    }
    terms = []
    for identifier_type, columns in table.raw_columns.items():
        for column in columns:
            if column not in present:
                continue
            value = (
                f"nullif(lower(trim(cast({_q(column)} as varchar))), '')"
                if identifier_type == "email"
                else f"nullif(trim(cast({_q(column)} as varchar)), '')"
            )
            terms.append(value)
    if not terms:
        return None
    union = " union ".join(f"select {t} as v from read_parquet({_lit(str(file))})" for t in terms)
    matched = [
        str(r[0])
        for r in con.execute(
            f"with vals as (select distinct v from ({union}) where v is not null)"
            " select v from vals where list_has_any(c360_hashes(v),"
            f" (select list(identifier_hash) from ({hashes})))"
        ).fetchall()
    ]
    if not matched:
        return None
    listed = ", ".join(_lit(v) for v in matched)
    return "(" + " or ".join(f"coalesce({t} in ({listed}), false)" for t in terms) + ")"


def _rewrite(con: duckdb.DuckDBPyConnection, part: Path, table: PersonTable, hashes: str) -> int:
    """Rewrite one partition; the rows removed (or redacted), 0 when untouched."""
    manifest_path = part / spec.MANIFEST_NAME
    if not manifest_path.is_file():
        return 0  # incomplete: never loaded; purged once complete, at the next erasure run
    files = sorted(part.glob("*.parquet"))
    plans: dict[Path, tuple[str, int]] = {}
    for file in files:
        condition = _condition(con, file, table, hashes)
        if condition is None:
            continue
        row = con.execute(
            f"select count(*) from read_parquet({_lit(str(file))}) where {condition}"
        ).fetchone()
        if row and row[0]:
            plans[file] = (condition, int(row[0]))
    if not plans:
        return 0
    new = _hidden(part, _NEW)
    if new.exists():
        shutil.rmtree(new)
    new.mkdir()
    for file in files:
        target = new / file.name
        if file not in plans:
            os.link(file, target)
            continue
        condition, _ = plans[file]
        if table.redact:
            column = _q(table.redact)
            select = f"* replace (case when {condition} then null else {column} end as {column})"
            where = ""
        else:
            select, where = "*", f" where not {condition}"
        con.execute(
            f"copy (select {select} from read_parquet({_lit(str(file))}){where})"
            f" to {_lit(str(target))} (format parquet, compression zstd)"
        )
    for other in part.iterdir():
        if other.is_file() and other.suffix != ".parquet" and other.name != spec.MANIFEST_NAME:
            os.link(other, new / other.name)
    removed = sum(n for _, n in plans.values())
    manifest = json.loads(manifest_path.read_text())
    if not table.redact:
        manifest["row_count"] = int(manifest["row_count"]) - removed
    written = new / spec.MANIFEST_NAME
    written.write_text(json.dumps(manifest))
    with open(written, "rb") as handle:
        os.fsync(handle.fileno())
    old = _hidden(part, _OLD)
    os.rename(part, old)
    os.rename(new, part)
    shutil.rmtree(old)
    _sync(part.parent)
    return removed


def purge(con: duckdb.DuckDBPyConnection, raw: Path, hashes: str) -> list[Purged]:
    """Purge every landed partition of the erased identifiers (``hashes``: SQL selecting
    ``identifier_hash``); the connection has the keyed-hash functions."""
    recover(raw)
    done = []
    for table in (*PERSON_TABLES, *REDACTED_TABLES):
        folder = raw / table.system / table.table
        if not folder.is_dir():
            continue
        partitions = rows = 0
        for part in sorted(folder.glob(f"{spec.PARTITION_PREFIX}*")):
            if part.is_dir():
                removed = _rewrite(con, part, table, hashes)
                partitions += removed > 0
                rows += removed
        if rows:
            done.append(Purged(f"{table.system}/{table.table}", partitions, rows))
    return done


def _sync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
