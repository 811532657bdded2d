"""One refresh at a time: an advisory lock file beside the warehouse.

The lock is ``flock`` on ``<warehouse>.refresh.lock``; the kernel releases it
when the holding process ends, however it ends, so a lock left by a killed
run is simply taken over (and said so). The file records who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from c360.errors import C360Error


class RefreshBusy(C360Error):
    """Another refresh holds the lock."""


@dataclass(frozen=True)
class Holder:
    run_id: str
    pid: int
    host: str
    started_at: str

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid} on {self.host}) since {self.started_at}"


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".refresh.lock")


def _read_holder(text: str) -> Holder | None:
    try:
        data = json.loads(text)
        return Holder(
            str(data["run_id"]), int(data["pid"]), str(data["host"]), str(data["started_at"])
        )
    except (ValueError, KeyError, TypeError):
        return None


@contextmanager
def refresh_lock(warehouse: Path, run_id: str, started_at: str) -> Iterator[Holder | None]:
    """Hold the refresh lock for the block; yield the holder of a lock left behind, if any.

    Raises RefreshBusy at once (never waits) when a live refresh holds it.
    """
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(path.read_text(encoding="utf-8", errors="replace"))
            who = holder.describe() if holder else "another process"
            raise RefreshBusy(f"another refresh is running: {who} holds {path}") from None
        left = _read_holder(os.pread(fd, 4096, 0).decode("utf-8", errors="replace"))
        me = Holder(run_id, os.getpid(), socket.gethostname(), started_at)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
        os.fsync(fd)
        try:
            yield left
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock
