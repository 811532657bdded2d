"""The load report ``c360 build`` prints after dbt: what was not loaded, and whether every row is
accounted for.

It reads the warehouse read-only: incomplete partitions (``ops.incomplete_partitions``),
rejected rows (``ops.rejected_rows``) and per-partition reconciliation
(``ops.load_reconciliation``). A table that is not there (an older warehouse, or a
``--select`` that skipped it) is one line, never a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb

MAX_REJECTED = 50
_VALUE_MAX = 80


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def _missing(name: str) -> str:
    return f"{name}: not in the warehouse (never built into it), nothing to report"


def _value(raw: Any) -> str:
    if raw is None:
        return "null"
    text = str(raw).replace("\n", "\\n")
    return text if len(text) <= _VALUE_MAX else text[: _VALUE_MAX - 3] + "..."


def incomplete_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "ops", "incomplete_partitions"):
        return [_missing("ops.incomplete_partitions")]
    rows = con.execute(
        "select partition_path, reason from ops.incomplete_partitions"
        " where is_current order by partition_path, reason"
    ).fetchall()
    if not rows:
        return ["Incomplete partitions: none, every landed partition was loaded."]
    head = f"Incomplete partitions (not loaded): {len(rows)}"
    return [head, *(f"  {path}: {reason}" for path, reason in rows)]


def rejected_lines(con: duckdb.DuckDBPyConnection, limit: int = MAX_REJECTED) -> list[str]:
    if not _exists(con, "ops", "rejected_rows"):
        return [_missing("ops.rejected_rows")]
    total_row = con.execute("select count(*) from ops.rejected_rows").fetchone()
    total = int(total_row[0]) if total_row else 0
    if not total:
        return ["Rejected rows: none."]
    rows = con.execute(
        "select file_path, file_row, record_key, column_name, raw_value, reason"
        " from ops.rejected_rows"
        " order by source_table, file_path, file_row, column_name"
        " limit ?",
        [limit],
    ).fetchall()
    lines = [f"Rejected rows (not staged; file:row is the 0-based row in the file): {total}"]
    for file_path, file_row, key, column, raw, reason in rows:
        keyed = f" [key {_value(key)}]" if key is not None else ""
        lines.append(f"  {file_path}:{file_row} {column}={_value(raw)}: {reason}{keyed}")
    if total > len(rows):
        lines.append(
            f"  ... and {total - len(rows):,} more: select * from ops.rejected_rows"
            " order by source_table, file_path, file_row"
        )
    return lines


def _aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        first, rest = row[0].ljust(widths[0]), row[1:]
        cells = [first, *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def reconciliation_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "ops", "load_reconciliation"):
        return [_missing("ops.load_reconciliation")]
    sums = con.execute(
        "select source_table, count(*),"
        " coalesce(sum(landed_rows), 0), coalesce(sum(loaded_rows), 0),"
        " coalesce(sum(rejected_rows), 0), coalesce(sum(duplicate_rows), 0),"
        " count(*) filter (where not coalesce(is_reconciled, false))"
        " from ops.load_reconciliation where status = 'complete'"
        " group by source_table order by source_table"
    ).fetchall()
    if not sums:
        return ["Reconciliation: no complete partitions loaded."]
    header = ("table", "partitions", "landed", "loaded", "rejected", "duplicates", "reconciled")
    rows = [
        (str(t), *(f"{n:,}" for n in (p, a, b, c, d)), f"NO ({bad})" if bad else "yes")
        for t, p, a, b, c, d, bad in sums
    ]
    lines = ["Reconciliation over complete partitions (landed = loaded + rejected + duplicates):"]
    lines += _aligned(header, rows)
    off = con.execute(
        "select partition_path, landed_rows, loaded_rows, rejected_rows, duplicate_rows"
        " from ops.load_reconciliation"
        " where status = 'complete' and not coalesce(is_reconciled, false)"
        " order by partition_path"
    ).fetchall()
    if not off:
        lines.append("Every complete partition reconciles.")
        return lines
    lines.append(f"{len(off)} complete partition(s) do NOT reconcile:")
    lines += [
        f"  {path}: landed {a}, loaded {b}, rejected {c}, duplicates {d}"
        for path, a, b, c, d in off[:MAX_REJECTED]
    ]
    if len(off) > MAX_REJECTED:
        lines.append(
            f"  ... and {len(off) - MAX_REJECTED:,} more:"
            " select * from ops.load_reconciliation where not is_reconciled"
        )
    return lines


def report_lines(warehouse: Path) -> list[str]:
    """The whole post-build report, or one line saying why the warehouse cannot be read."""
    if not warehouse.is_file():
        return [f"Report: no warehouse at {warehouse}, nothing to report."]
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return [
                *incomplete_lines(con),
                "",
                *rejected_lines(con),
                "",
                *reconciliation_lines(con),
            ]
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [f"Report: cannot read the warehouse {warehouse} read-only: {first}"]


def print_report(warehouse: Path, stream: TextIO) -> None:
    for line in report_lines(warehouse):
        print(line, file=stream)
