"""The running collector: its spool, its flush schedule and its counters.

``open`` (before the server listens) takes the spool's lock and recovers the
spool; ``start`` (in the server's event loop) starts the flush loop, which
lands what an earlier run left first; ``accept`` returns once a request's
records are fsynced; ``stop`` flushes everything acknowledged and releases the
lock. A flush runs on a schedule (``flush_seconds``), when the spool holds
``flush_messages`` records, and at stop; one at a time, in a worker thread.
A flush that fails (the landing zone refused a partition, a full disk) keeps
its segments in the spool, says why in one line and in ``/health``, and is
tried again a schedule later.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c360.collect import flush as flushing
from c360.collect.spool import (
    SpoolLock,
    SpoolWriter,
    list_segments,
    recover,
    segment_seq,
)
from c360.errors import C360Error
from c360.messages import format_instant
from c360.progress import Progress


@dataclass(frozen=True)
class CollectSettings:
    raw_dir: Path
    spool_dir: Path
    write_keys: frozenset[str]
    flush_seconds: float = 60.0
    flush_messages: int = 50_000
    max_parts: int | None = 100


@dataclass
class Counters:
    """What ``/health`` reports; every count is since this process started but ``spooled``."""

    spooled: int = 0  # records in the spool now, acknowledged and not landed yet
    accepted: int = 0
    rejected: int = 0
    landed: int = 0
    flushes: int = 0
    last_flush: dict[str, Any] | None = None
    flush_error: str | None = None
    started_at: str = field(default_factory=lambda: format_instant(dt.datetime.now(dt.UTC)))


class Collector:
    def __init__(self, settings: CollectSettings, progress: Progress) -> None:
        self.settings = settings
        self.progress = progress
        self.counters = Counters()
        self._lock = SpoolLock(settings.spool_dir)
        self._writer: SpoolWriter | None = None
        self._due = asyncio.Event()
        self._stopping = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._loop_task: asyncio.Task[None] | None = None
        self.stopped = False  # stop() ran
        self.stopped_clean = False  # and its last flush landed everything

    # -- life cycle -----------------------------------------------------------------

    def open(self) -> None:
        """Take the spool's lock and recover it (SpoolBusy when another collector has it)."""
        spool = self.settings.spool_dir
        try:
            spool.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise C360Error(f"cannot create the spool {spool}: {exc.strerror or exc}") from None
        self._lock.acquire()
        try:
            found = recover(spool)
            for path, cut in found.truncated:
                self.progress.line(
                    f"spool: {path.name}: cut a torn tail of {cut:,} bytes"
                    " (a write a crash interrupted, never acknowledged)"
                )
            writer = SpoolWriter(spool, found.next_seq)
            writer.open()
        except BaseException:
            self._lock.release()
            raise
        self._writer = writer
        self.counters.spooled = found.records
        if found.records:
            self.progress.line(
                f"spool: {found.records:,} message(s) in {len(found.segments)} segment(s)"
                " from an earlier run; they land in the first flush"
            )

    async def start(self) -> None:
        self._due.set()  # the first flush lands what an earlier run left, at once
        self._loop_task = asyncio.create_task(self._flush_loop())

    async def stop(self) -> bool:
        """Stop the schedule, land everything acknowledged, release the spool.
        False when the last flush failed (what it held stays in the spool)."""
        self._stopping.set()
        self._due.set()
        if self._loop_task is not None:
            await self._loop_task
        ok = await self.flush_now()
        if self._writer is not None:
            await self._writer.close()
        self._lock.release()
        self.stopped, self.stopped_clean = True, ok
        return ok

    # -- requests -------------------------------------------------------------------

    @property
    def writer(self) -> SpoolWriter:
        if self._writer is None:
            raise C360Error("the collector is not open")
        return self._writer

    async def accept(self, payloads: list[bytes], rows: int, rejected: int) -> None:
        """Return once the records are fsynced (SpoolFailed when they cannot be)."""
        await self.writer.append(payloads)
        self.counters.spooled += len(payloads)
        self.counters.accepted += rows
        self.counters.rejected += rejected
        if self.counters.spooled >= self.settings.flush_messages:
            self._due.set()

    def health(self) -> dict[str, Any]:
        failed = self._writer is not None and self._writer.failed is not None
        c = self.counters
        return {
            "ok": not failed and c.flush_error is None,
            "accepting": not failed,
            "spooled": c.spooled,
            "accepted": c.accepted,
            "rejected": c.rejected,
            "landed": c.landed,
            "flushes": c.flushes,
            "last_flush": c.last_flush,
            "flush_error": c.flush_error,
            "spool_error": str(self._writer.failed) if failed and self._writer else None,
            "started_at": c.started_at,
        }

    # -- flushing -------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._due.wait(), timeout=self.settings.flush_seconds)
            self._due.clear()
            if self._stopping.is_set():
                return
            if not await self.flush_now():
                # Landing failed: try again a schedule later, not at every request.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._stopping.wait(), timeout=self.settings.flush_seconds
                    )

    async def flush_now(self) -> bool:
        """Seal the active segment and land every sealed one; False when landing failed."""
        async with self._flush_lock:
            active = await self.writer.seal()
            spool = self.settings.spool_dir
            sealed = [p for p in list_segments(spool) if (segment_seq(p) or 0) < active]
            started = time.perf_counter()
            try:
                result = await asyncio.to_thread(
                    flushing.flush,
                    self.settings.raw_dir,
                    spool,
                    sealed,
                    max_parts=self.settings.max_parts,
                )
            except (C360Error, OSError) as exc:
                self.counters.flush_error = str(exc)
                self.progress.line(
                    f"flush failed: {exc}; {self.counters.spooled:,} message(s) stay in the"
                    " spool and are tried again"
                )
                return False
            took = time.perf_counter() - started
            self.counters.flush_error = None
            if not (result.records or result.recovered):
                return True
            self.counters.flushes += 1
            self.counters.spooled = max(0, self.counters.spooled - result.records)
            self.counters.landed += result.landed_rows
            self.counters.last_flush = {
                "at": format_instant(dt.datetime.now(dt.UTC)),
                "messages": result.rows,
                "rejected": result.rejected,
                "landed": result.landed_rows,
                "segments": result.segments,
                "days": {p.day.isoformat(): p.rows_added for p in result.partitions},
                "seconds": round(took, 3),
            }
            self.progress.line(f"{flushing.describe(result, self.settings.raw_dir)} ({took:.1f}s)")
            return True
