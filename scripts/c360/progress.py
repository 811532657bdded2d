"""Progress lines for long commands: one line per stage with what, how many rows, how long."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Stage:
    """A running stage; set ``rows`` (and optionally ``detail``) before it ends."""

    name: str
    rows: int = 0
    detail: str = ""
    started: float = field(default_factory=time.perf_counter)


@dataclass
class Progress:
    """Writes ``[c360] <command> <stage>: <rows> rows <detail> (<seconds>s)`` lines."""

    command: str
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False

    def line(self, text: str) -> None:
        if not self.quiet:
            print(f"[c360] {self.command} {text}", file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        st = Stage(name)
        yield st
        took = time.perf_counter() - st.started
        detail = f" {st.detail}" if st.detail else ""
        self.line(f"{name}: {st.rows:,} rows{detail} ({took:.1f}s)")
