"""Write an export's files atomically: temporary names in DIR, renamed in, the manifest last.

Every file is first written as ``.<name>.<token>.tmp`` in DIR (same file
system, so the rename is atomic). Only when all are complete is the old
``manifest.json`` removed, each file renamed over its final name, and the new
manifest written (temporary name, then renamed) last. A sync that reads the
manifest first and then the files it lists never reads half a file; an
export that fails before the renames leaves DIR as it was, temporary files
removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from c360.errors import C360Error

MANIFEST = "manifest.json"


def check_writable(out_dir: Path) -> None:
    """Create DIR if needed and prove a file can be written there; one-line error if not."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".c360-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise C360Error(f"cannot write to --to {out_dir}: {reason}") from None


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Staging:
    """The files of one export, written under temporary names until ``commit``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.token = secrets.token_hex(4)
        self.pending: dict[str, Path] = {}  # final name -> temporary path

    def path_for(self, name: str) -> Path:
        tmp = self.out_dir / f".{name}.{self.token}.tmp"
        self.pending[name] = tmp
        return tmp

    def discard(self) -> None:
        for tmp in self.pending.values():
            tmp.unlink(missing_ok=True)
        self.pending.clear()

    def commit(self, manifest: dict[str, Any]) -> Path:
        """Rename every file in (the old manifest goes first), then write the manifest."""
        final = self.out_dir / MANIFEST
        final.unlink(missing_ok=True)
        for name, tmp in self.pending.items():
            os.replace(tmp, self.out_dir / name)
        self.pending.clear()
        tmp = self.out_dir / f".{MANIFEST}.{self.token}.tmp"
        try:
            tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return final


@contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    """A Staging whose temporary files are removed when anything fails (or is interrupted)."""
    staging = Staging(out_dir)
    try:
        yield staging
    except BaseException:
        staging.discard()
        raise


def write_jsonl(path: Path, lines: Iterable[dict[str, Any]]) -> int:
    """One JSON object per line; returns the lines written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
            count += 1
    return count


def write_table(path: Path, rows: pa.Table, file_format: str) -> int:
    """The rows as CSV (header, UTF-8) or Parquet (zstd); returns the rows written."""
    if file_format == "csv":
        options = "format csv, header true"
    else:
        options = "format parquet, compression zstd"
    target = "'" + str(path).replace("'", "''") + "'"
    with duckdb.connect() as con:
        con.register("export_rows", rows)
        con.execute(f"copy export_rows to {target} ({options})")
    return int(rows.num_rows)
