"""Mapped rows, grouped by the partition they land in, with the copies dropped.

An importer adds every input record it reads to ``Mapped``: a row (its spec
columns and where it came from) to the partition it belongs in, or its
rejects. ``partitions()`` then drops copies within each partition: a row
whose every column equals an earlier row's is a duplicate. For messages,
``receivedAt`` and ``sentAt`` may differ between copies (an SDK retry, or
one message in two archive files): the copy received first is kept, as
staging keeps it. Rows that differ anywhere else all land, and staging
decides between them (ops.duplicate_conflicts).

Counts reconcile per table: read = landed + rejected + duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from c360 import spec
from c360.importers.rejects import Reject

# Columns a faithful copy may change (landing_dedup_rules' 'varies' for messages).
VARIES: dict[str, tuple[str, ...]] = {"events/messages": ("receivedAt", "sentAt")}
# The column whose smallest value marks the copy to keep.
FIRST_BY: dict[str, str] = {"events/messages": "receivedAt"}

Values = dict[str, object]


@dataclass(frozen=True)
class Row:
    values: Values
    file: str
    line: str


@dataclass
class Partition:
    """The rows of one partition an import lands."""

    table: spec.Table
    extract_date: dt.date
    mode: spec.Mode
    rows: list[Row] = field(default_factory=list)
    duplicates: int = 0


@dataclass
class Counts:
    """Per table: rows read, rejected, and (after ``partitions()``) duplicates dropped."""

    read: int = 0
    rejected: int = 0
    duplicates: int = 0
    landed: int = 0
    partitions: int = 0

    def reconciles(self) -> bool:
        return self.read == self.landed + self.rejected + self.duplicates


@dataclass
class Mapped:
    """What an importer read: rows per partition, rejects per table, counts per table."""

    _parts: dict[tuple[str, dt.date], Partition] = field(default_factory=dict)
    rejects: dict[str, list[Reject]] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=dict)

    def counts_of(self, table: spec.Table) -> Counts:
        return self.counts.setdefault(table.name, Counts())

    def touch(self, table: spec.Table, extract_date: dt.date, mode: spec.Mode) -> Partition:
        """The partition (created empty if new): an export with no rows still lands one."""
        key = (table.name, extract_date)
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = Partition(table, extract_date, mode)
        self.counts_of(table)
        return part

    def add(
        self,
        table: spec.Table,
        extract_date: dt.date,
        mode: spec.Mode,
        values: Values,
        file: str,
        line: str,
    ) -> None:
        self.counts_of(table).read += 1
        self.touch(table, extract_date, mode).rows.append(Row(values, file, line))

    def reject(self, table: spec.Table, problems: list[Reject]) -> None:
        """One input row that cannot land, with each of its problems."""
        counts = self.counts_of(table)
        counts.read += 1
        counts.rejected += 1
        self.rejects.setdefault(table.name, []).extend(problems)

    def partitions(self) -> list[Partition]:
        """Every partition, copies dropped (counted as duplicates), in table then date order."""
        order = {t.name: i for i, t in enumerate(spec.TABLES)}
        out = sorted(self._parts.values(), key=lambda p: (order[p.table.name], p.extract_date))
        for part in out:
            before = len(part.rows)
            part.rows = list(_without_copies(part.table, part.rows))
            part.duplicates = before - len(part.rows)
        for name in {p.table.name for p in out}:
            self.counts[name].duplicates = sum(p.duplicates for p in out if p.table.name == name)
        return out


def _without_copies(table: spec.Table, rows: list[Row]) -> Iterator[Row]:
    varies = VARIES.get(table.name, ())
    first_by = FIRST_BY.get(table.name)
    content = [c for c in table.column_names if c not in varies]
    kept: dict[tuple[object, ...], int] = {}
    out: list[Row] = []
    for row in rows:
        signature = tuple(_hashable(row.values.get(c)) for c in content)
        index = kept.get(signature)
        if index is None:
            kept[signature] = len(out)
            out.append(row)
        elif first_by is not None and _earlier(row.values.get(first_by), out[index], first_by):
            out[index] = row  # the copy received first is the one kept, in the first's place
    yield from out


def _earlier(value: object, kept: Row, column: str) -> bool:
    other = kept.values.get(column)
    # receivedAt is written by c360.messages in one format (...T..:..:...mmmZ): text order
    # is time order
    return isinstance(value, str) and isinstance(other, str) and value < other


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value
