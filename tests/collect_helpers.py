"""``c360 collect`` as a process for the functional tests: start, wait, stop, kill, read.

The collector runs as the CLI runs in production (``c360 collect`` in a
subprocess, its progress lines in a log file), with a clean environment whose
only c360 setting is ``$C360_RAW_DIR``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyarrow.dataset as ds

C360 = Path(sys.executable).parent / "c360"
STARTUP_SECONDS = 60.0


def free_port() -> int:
    """A port nothing listens on now (the collector binds it with SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def collect_env(raw: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "C360_"))}
    env.update(C360_RAW_DIR=str(raw), **extra)
    return env


@dataclass
class Running:
    """One ``c360 collect`` process."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def health(self) -> dict[str, Any]:
        answer = httpx.get(self.url + "/health", timeout=10.0)
        body: dict[str, Any] = answer.json()
        return body

    def terminate(self, timeout: float = 120.0) -> int:
        """SIGTERM, then the exit code (the last flush runs before it exits)."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """``kill -9``: no flush, no cleanup, the spool as the crash left it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def start_collector(
    raw: Path, port: int, key: str, log: Path, *options: str, env: dict[str, str] | None = None
) -> Running:
    """``c360 collect --port PORT --write-key KEY OPTIONS``, once its /health answers."""
    handle = log.open("ab")
    try:
        process = subprocess.Popen(
            [str(C360), "collect", "--port", str(port), "--write-key", key, *options],
            env=env or collect_env(raw),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    finally:
        handle.close()
    running = Running(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        code = process.poll()
        if code is not None:
            raise AssertionError(f"c360 collect exited {code} at start:\n{running.output()}")
        try:
            if httpx.get(running.url + "/health", timeout=2.0).status_code == 200:
                return running
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            running.kill()
            raise AssertionError(f"c360 collect did not answer in time:\n{running.output()}")
        time.sleep(0.1)


def landed_ids(raw: Path) -> Counter[str]:
    """How many times each ``messageId`` is in the landed events/messages partitions
    (complete ones: every partition's manifest ``row_count`` must match its parts)."""
    folder = raw / "events" / "messages"
    if not folder.is_dir():
        return Counter()
    for partition in sorted(folder.glob("extract_date=*")):
        manifest = json.loads((partition / "_manifest.json").read_text(encoding="utf-8"))
        rows = ds.dataset(sorted(partition.glob("part-*.parquet")), format="parquet").count_rows()
        assert manifest["row_count"] == rows, f"{partition}: manifest {manifest} but {rows} rows"
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table(
        columns=["messageId"]
    )
    return Counter(str(v) for v in table.column("messageId").to_pylist())
