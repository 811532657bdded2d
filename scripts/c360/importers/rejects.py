"""Rows an importer could not map: where they were, which field, what value, and why.

They are written as one CSV per landing table and run,
``<dir>/<timestamp>-<system>-<table>.csv`` (``dir`` defaults to
``<landing zone>/_import_rejects``, a folder the landing scan never reads:
it is no system of the contract), with the columns ``file, line, field,
value, reason``. A row with two bad fields has two lines; the counts are of
rows.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REJECTS_DIR = "_import_rejects"
COLUMNS = ("file", "line", "field", "value", "reason")
_VALUE_CHARS = 200


@dataclass(frozen=True)
class Reject:
    """One problem with one input row. ``line`` is a line number for CSV and NDJSON,
    the item's place (``data[3]``) in a JSON document."""

    file: str
    line: str
    field: str
    value: str
    reason: str


def shown(value: object) -> str:
    """A value as a reject line shows it: text as is, the rest as JSON-ish text, cut short."""
    text = value if isinstance(value, str) else "" if value is None else repr(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def default_dir(raw: Path) -> Path:
    return raw / REJECTS_DIR


def write_rejects(directory: Path, stamp: str, table_name: str, rejects: Iterable[Reject]) -> Path:
    """Write one table's rejects (``system/table``) to a new file; returns its path.

    The file is written under a temporary name and renamed, so a reader never
    sees half of it; an existing file of the same name is never overwritten.
    """
    directory.mkdir(parents=True, exist_ok=True)
    base = f"{stamp}-{table_name.replace('/', '-')}"
    path = directory / f"{base}.csv"
    n = 1
    while path.exists():
        n += 1
        path = directory / f"{base}-{n}.csv"
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in rejects:
            writer.writerow((r.file, r.line, r.field, r.value, r.reason))
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)
    return path
