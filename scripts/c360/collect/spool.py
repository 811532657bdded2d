"""The collector's spool: append-only segment files where a message is durable before its 200.

A segment is ``segment-<seq>.spool``: the 8-byte header ``C360SPL1``, then records,
each ``<payload length: u32 LE><CRC-32 of the payload: u32 LE><payload>``; a payload
is one compact JSON object (a normalised ``events/messages`` row, or a rejected
message). Only the newest segment, the *active* one, is ever written; ``seal``
closes it and starts the next, and a sealed segment never changes again until
the flush deletes it (``flush.py``).

**Group commit.** ``SpoolWriter.append`` queues a request's records and waits;
one committer writes everything queued so far with one ``write`` and one
``os.fdatasync`` (in a worker thread, so the event loop keeps reading requests,
which queue up for the next round), then wakes every request of that round. A
request is answered only after its records are on disk, and concurrent
requests share an fsync instead of taking turns for one each.

**Recovery.** A crash can leave the active segment ending in a torn record:
bytes of a write that was never fsynced, so never acknowledged. ``recover``
reads every segment, keeps the records whose length and CRC are intact,
truncates the file after the last good one, and deletes segments left with no
records. **Lock.** ``SpoolLock`` holds an exclusive ``flock`` on ``LOCK`` in the
spool folder: two collectors never share a spool (the kernel drops the lock
when its process dies, ``kill -9`` included).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from c360.errors import C360Error

MAGIC = b"C360SPL1"
_FRAME = struct.Struct("<II")
# No message is this long (a batch is at most 500 KB); a bigger length is a torn header.
MAX_RECORD = 16 << 20
_PREFIX = "segment-"
_SUFFIX = ".spool"
LOCK_NAME = "LOCK"


class SpoolBusy(C360Error):
    """Another collector holds the spool: exit code 4 (start this one on another --spool)."""

    exit_code = 4


class SpoolCorrupt(C360Error):
    """A sealed segment holds a bad record: it is kept, and nothing is landed from it."""


class SpoolFailed(C360Error):
    """A write or fsync of the spool failed: nothing more is acknowledged until a restart."""


def encode(record: Mapping[str, object]) -> bytes:
    """One record's payload: compact JSON, UTF-8."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def frame(payload: bytes) -> bytes:
    """A payload as it is written: length, CRC-32, payload."""
    if not 0 < len(payload) <= MAX_RECORD:
        raise ValueError(f"a spool record is 1 to {MAX_RECORD} bytes, not {len(payload)}")
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def segment_path(directory: Path, seq: int) -> Path:
    return directory / f"{_PREFIX}{seq:012d}{_SUFFIX}"


def segment_seq(path: Path) -> int | None:
    """The sequence number in a segment's name; None for any other file."""
    name = path.name
    if not (name.startswith(_PREFIX) and name.endswith(_SUFFIX)):
        return None
    digits = name[len(_PREFIX) : -len(_SUFFIX)]
    return int(digits) if digits.isdigit() else None


def list_segments(directory: Path) -> list[Path]:
    """Every segment in the spool folder, oldest first."""
    found = [(segment_seq(p), p) for p in directory.iterdir() if p.is_file()]
    return [p for seq, p in sorted((s, p) for s, p in found if s is not None)]


@dataclass(frozen=True)
class Scan:
    """What a segment holds: its intact records and where they end."""

    path: Path
    records: list[bytes]
    good_bytes: int  # the header and every intact record
    size: int

    @property
    def torn(self) -> bool:
        return self.good_bytes < self.size


def scan_segment(path: Path) -> Scan:
    """Read a segment: every record up to the first torn or corrupt one."""
    data = path.read_bytes()
    if data[: len(MAGIC)] != MAGIC[: len(data)]:
        raise SpoolCorrupt(f"{path}: not a c360 spool segment (bad header); move it aside")
    if len(data) < len(MAGIC):
        return Scan(path, [], 0, len(data))
    records: list[bytes] = []
    pos = len(MAGIC)
    view = memoryview(data)
    while pos + _FRAME.size <= len(data):
        length, crc = _FRAME.unpack_from(data, pos)
        end = pos + _FRAME.size + length
        if not 0 < length <= MAX_RECORD or end > len(data):
            break
        payload = bytes(view[pos + _FRAME.size : end])
        if zlib.crc32(payload) != crc:
            break
        records.append(payload)
        pos = end
    return Scan(path, records, pos, len(data))


def read_sealed(path: Path) -> list[bytes]:
    """A sealed segment's records; one that does not end cleanly is SpoolCorrupt (recovery
    truncated every torn tail before the segment was sealed, so this is damage)."""
    found = scan_segment(path)
    if found.torn:
        raise SpoolCorrupt(
            f"{path}: bad record at byte {found.good_bytes} of {found.size}"
            " (length or CRC-32); the segment is kept and not landed: move it aside to go on"
        )
    return found.records


@dataclass(frozen=True)
class Recovered:
    """The spool after a start: its segments and records, and every torn tail cut."""

    segments: list[Path]
    records: int
    next_seq: int
    truncated: list[tuple[Path, int]] = field(default_factory=list)  # (segment, bytes cut)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(directory: Path) -> Recovered:
    """Cut every segment's torn tail and drop segments with no record (see the module doc)."""
    kept: list[Path] = []
    truncated: list[tuple[Path, int]] = []
    records = 0
    last = 0
    removed = False
    for path in list_segments(directory):
        last = max(last, segment_seq(path) or 0)
        found = scan_segment(path)
        if found.torn:
            truncated.append((path, found.size - found.good_bytes))
        if not found.records:
            path.unlink()
            removed = True
            continue
        if found.torn:
            with path.open("r+b") as handle:
                handle.truncate(found.good_bytes)
                os.fsync(handle.fileno())
        kept.append(path)
        records += len(found.records)
    if truncated or removed:
        _fsync_dir(directory)
    return Recovered(kept, records, last + 1, truncated)


class SpoolLock:
    """An exclusive, non-blocking ``flock`` on ``<spool>/LOCK`` for as long as it is held."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise SpoolBusy(
                f"spool {self.path.parent} is used by another c360 collect (pid {holder});"
                " stop it or give this one another --spool"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


@dataclass
class _Pending:
    data: bytes
    records: int
    done: asyncio.Future[None]


class SpoolWriter:
    """Appends records to the active segment with group commit; ``seal`` starts the next.

    Use from one event loop. The file work runs in worker threads, one at a time.
    """

    def __init__(self, directory: Path, next_seq: int) -> None:
        self.directory = directory
        self.active_seq = next_seq
        self.active_records = 0
        self.failed: OSError | None = None
        self._fd: int | None = None
        self._queue: list[_Pending] = []
        self._committer: asyncio.Task[None] | None = None
        self._file_lock = asyncio.Lock()

    def open(self) -> None:
        """Create the active segment (its header and its folder entry fsynced)."""
        path = segment_path(self.directory, self.active_seq)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o644)
        try:
            _write_all(fd, MAGIC)
            os.fdatasync(fd)
            _fsync_dir(self.directory)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        self.active_records = 0

    @property
    def active_path(self) -> Path:
        return segment_path(self.directory, self.active_seq)

    async def append(self, payloads: Sequence[bytes]) -> None:
        """Return once every payload is written and fsynced; SpoolFailed if it cannot be."""
        if not payloads:
            return
        if self.failed is not None:
            raise SpoolFailed(f"the spool failed earlier ({self.failed}); restart the collector")
        loop = asyncio.get_running_loop()
        pending = _Pending(
            b"".join(frame(p) for p in payloads), len(payloads), loop.create_future()
        )
        self._queue.append(pending)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit())
        await asyncio.shield(pending.done)

    async def _commit(self) -> None:
        while self._queue:
            group, self._queue = self._queue, []
            async with self._file_lock:
                error: OSError | None = self.failed
                if error is None:
                    try:
                        await asyncio.to_thread(self._write, b"".join(p.data for p in group))
                        self.active_records += sum(p.records for p in group)
                    except OSError as exc:
                        self.failed = error = exc
            for pending in group:
                if pending.done.done():
                    continue
                if error is None:
                    pending.done.set_result(None)
                else:
                    pending.done.set_exception(SpoolFailed(f"cannot write the spool: {error}"))

    def _write(self, data: bytes) -> None:
        if self._fd is None:
            raise OSError("the spool is closed")
        _write_all(self._fd, data)
        os.fdatasync(self._fd)

    async def seal(self) -> int:
        """Close the active segment if it holds records and start the next one. Returns
        the new ``active_seq``: every segment numbered below it is sealed."""
        async with self._file_lock:
            if self.active_records and self.failed is None:
                await asyncio.to_thread(self._rotate)
            return self.active_seq

    def _rotate(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.active_seq += 1
        self.open()

    async def close(self) -> None:
        """Wait for queued records, close the file; an active segment with none is removed."""
        if self._committer is not None:
            with contextlib.suppress(Exception):
                await self._committer
        async with self._file_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
                if not self.active_records:
                    self.active_path.unlink(missing_ok=True)
