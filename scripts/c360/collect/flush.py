"""Sealed spool segments into ``events/messages`` partitions, exactly once across crashes.

A flush takes sealed segments in chunks (at most ``CHUNK_BYTES`` of spool each)
and, for each chunk:

1. writes the ledger ``<spool>/_c360_collect.json`` as ``landing`` with the
   chunk's segment names (fsynced, renamed into place);
2. groups the chunk's rows by UTC receive day (``c360.messages.received_day``)
   and appends each day to ``events/messages/extract_date=<day>/`` with
   ``landing_write.write_partition(..., how="append")``: one new part per day,
   swapped in atomically, so a refresh sees the day before or after, never half;
3. writes the chunk's rejected messages to ``<spool>/rejected/<first segment>.jsonl``;
4. writes the ledger as ``landed``, deletes the segments, and writes it ``idle``.

A crash can stop this anywhere. At the next start (``resolve``), a ledger
that says ``landed`` only has its deletions finished. One that says
``landing`` has its chunk landed again, day by day, with one check first:
a day whose rows' ``messageId``s are *all* in the partition already is
skipped. An append is all or nothing, so either that day's append happened
(skip it) or at least one of its ids is missing and none of its rows landed
(land them all; an id that was there came from a client's retry, which the
staging dedupe by ``messageId`` keeps once). The landing zone ends as it would
had there been no crash. Segments are deleted only after they have landed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from c360 import spec
from c360.collect.spool import SpoolCorrupt, read_sealed
from c360.errors import C360Error
from c360.landing_write import conform, partition_dir, partition_lock, write_partition
from c360.messages import MessageError, format_instant, received_day

LEDGER_NAME = "_c360_collect.json"
REJECTED_DIR = "rejected"
REJECT_KEY = "_rejected"  # a spool record holding a rejected message, not a row
EVENTS = spec.table("events/messages")
CHUNK_BYTES = 64 << 20


@dataclass(frozen=True)
class Landed:
    """One day of one flush: the partition after it, or skipped (already landed)."""

    day: dt.date
    rows_added: int
    row_count: int
    parts: int
    skipped: bool = False


@dataclass(frozen=True)
class FlushResult:
    segments: int = 0
    records: int = 0  # records taken out of the spool: rows + rejects
    rows: int = 0
    rejected: int = 0
    partitions: tuple[Landed, ...] = ()
    rejects_files: tuple[Path, ...] = ()
    recovered: bool = False  # it finished a flush that a crash had interrupted

    def __add__(self, other: FlushResult) -> FlushResult:
        return FlushResult(
            self.segments + other.segments,
            self.records + other.records,
            self.rows + other.rows,
            self.rejected + other.rejected,
            self.partitions + other.partitions,
            self.rejects_files + other.rejects_files,
            self.recovered or other.recovered,
        )

    @property
    def landed_rows(self) -> int:
        return sum(p.rows_added for p in self.partitions)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, text: str) -> None:
    """Write a file under a temporary name, fsync it, rename it into place, fsync the folder."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


@dataclass
class Ledger:
    """``<spool>/_c360_collect.json``: which chunk a flush is landing (see the module doc)."""

    spool_dir: Path
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.spool_dir / LEDGER_NAME

    def read(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"state": "idle"}
        except (OSError, ValueError) as exc:
            raise C360Error(f"{self.path}: cannot read the collector's ledger: {exc}") from None
        if not isinstance(loaded, dict) or loaded.get("state") not in ("idle", "landing", "landed"):
            raise C360Error(f"{self.path}: not a collector ledger (no valid state)")
        return loaded

    def write(self, **body: Any) -> None:
        write_durably(self.path, json.dumps(body, sort_keys=True) + "\n")


def decode(
    payloads: Sequence[bytes], source: Path
) -> tuple[list[dict[str, str | None]], list[dict[str, Any]]]:
    """A segment's records as rows and rejects."""
    rows: list[dict[str, str | None]] = []
    rejects: list[dict[str, Any]] = []
    for number, payload in enumerate(payloads):
        try:
            record = json.loads(payload)
        except ValueError as exc:
            raise SpoolCorrupt(f"{source}: record {number} is not JSON: {exc}") from None
        if not isinstance(record, dict):
            raise SpoolCorrupt(f"{source}: record {number} is not a JSON object")
        if REJECT_KEY in record:
            rejects.append(record[REJECT_KEY])
        else:
            rows.append(record)
    return rows, rejects


def _by_day(
    rows: Sequence[dict[str, str | None]], source: str
) -> dict[dt.date, list[dict[str, str | None]]]:
    days: dict[dt.date, list[dict[str, str | None]]] = {}
    for number, row in enumerate(rows):
        try:
            day = received_day(row)
        except MessageError as exc:
            raise SpoolCorrupt(f"{source}: row {number}: {exc}") from None
        days.setdefault(day, []).append(row)
    return days


def landed_ids(raw_root: Path, day: dt.date) -> set[str]:
    """Every ``messageId`` in a day's partition (read under the partition's lock)."""
    folder = partition_dir(raw_root, EVENTS, day)
    with partition_lock(raw_root, EVENTS, day):
        if not folder.is_dir():
            return set()
        ids: set[str] = set()
        for part in sorted(folder.glob("*.parquet")):
            column = pq.read_table(part, columns=["messageId"]).column("messageId")
            ids.update(v for v in column.to_pylist() if v is not None)
        return ids


def _chunks(segments: Sequence[Path]) -> Iterator[list[Path]]:
    chunk: list[Path] = []
    size = 0
    for path in segments:
        length = path.stat().st_size
        if chunk and size + length > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(path)
        size += length
    if chunk:
        yield chunk


def _land_chunk(
    raw_root: Path,
    ledger: Ledger,
    chunk: Sequence[Path],
    *,
    max_parts: int | None,
    recovering: bool,
) -> FlushResult:
    names = [p.name for p in chunk]
    rows: list[dict[str, str | None]] = []
    rejects: list[dict[str, Any]] = []
    for path in chunk:
        more_rows, more_rejects = decode(read_sealed(path), path)
        rows += more_rows
        rejects += more_rejects
    days = _by_day(rows, ", ".join(names))
    ledger.write(state="landing", segments=names, rows=len(rows), rejected=len(rejects))
    landed: list[Landed] = []
    for day in sorted(days):
        day_rows = days[day]
        if recovering:
            present = landed_ids(raw_root, day)
            if all(row["messageId"] in present for row in day_rows):
                landed.append(Landed(day, 0, len(present), 0, skipped=True))
                continue
        written = write_partition(
            raw_root,
            EVENTS,
            day,
            "incremental",
            conform(EVENTS, day_rows),
            how="append",
            max_parts=max_parts,
        )
        landed.append(Landed(day, written.rows_added, written.row_count, written.parts))
    files: tuple[Path, ...] = ()
    if rejects:
        folder = ledger.spool_dir / REJECTED_DIR
        folder.mkdir(exist_ok=True)
        target = folder / f"{chunk[0].stem}.jsonl"
        lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rejects)
        write_durably(target, lines)
        files = (target,)
    ledger.write(state="landed", segments=names)
    for path in chunk:
        path.unlink(missing_ok=True)
    _fsync_dir(ledger.spool_dir)
    ledger.write(
        state="idle",
        last={
            "at": format_instant(dt.datetime.now(dt.UTC)),
            "segments": names,
            "rows": len(rows),
            "rejected": len(rejects),
            "days": {p.day.isoformat(): p.rows_added for p in landed},
        },
    )
    return FlushResult(
        len(chunk),
        len(rows) + len(rejects),
        len(rows),
        len(rejects),
        tuple(landed),
        files,
        recovered=recovering,
    )


def resolve(raw_root: Path, spool_dir: Path, *, max_parts: int | None) -> FlushResult:
    """Finish the flush a crash interrupted, if the ledger names one (see the module doc)."""
    ledger = Ledger(spool_dir)
    body = ledger.read()
    names = [str(n) for n in body.get("segments", [])]
    if body["state"] == "landed":
        for name in names:
            (spool_dir / name).unlink(missing_ok=True)
        _fsync_dir(spool_dir)
        ledger.write(state="idle")
        return FlushResult(recovered=True)
    if body["state"] == "landing":
        chunk = [spool_dir / name for name in names]
        missing = [p.name for p in chunk if not p.is_file()]
        if missing:
            raise SpoolCorrupt(
                f"{ledger.path}: the flush it records needs {', '.join(missing)}, which is gone;"
                " nothing was landed from it (check the spool folder)"
            )
        return _land_chunk(raw_root, ledger, chunk, max_parts=max_parts, recovering=True)
    return FlushResult()


def flush(
    raw_root: Path, spool_dir: Path, sealed: Sequence[Path], *, max_parts: int | None
) -> FlushResult:
    """Land sealed segments (oldest first), after finishing any interrupted flush."""
    result = resolve(raw_root, spool_dir, max_parts=max_parts)
    remaining = [p for p in sealed if p.is_file()]
    ledger = Ledger(spool_dir)
    for chunk in _chunks(remaining):
        result += _land_chunk(raw_root, ledger, chunk, max_parts=max_parts, recovering=False)
    return result


def describe(result: FlushResult, raw_root: Path) -> str:
    """The progress line's text for one flush."""
    days = ", ".join(
        f"{p.day.isoformat()} "
        + ("already landed" if p.skipped else f"+{p.rows_added:,} = {p.row_count:,} rows")
        for p in result.partitions
    )
    text = (
        f"flush: {result.rows:,} messages from {result.segments} spool segment(s)"
        f" into {raw_root / EVENTS.system / EVENTS.table}" + (f" ({days})" if days else "")
    )
    if result.rejected:
        files = ", ".join(str(f) for f in result.rejects_files)
        text += f"; {result.rejected:,} rejected message(s) kept in {files}"
    if result.recovered:
        text += "; finished a flush a crash had interrupted"
    return text
