"""Find the input files of an import and read them as text, gzip or plain.

A path given on the command line is read whatever its name; a folder is
walked recursively (archives keep one folder per day and source, e.g.
``segment-logs/<source-id>/<day>/``), in name order, skipping hidden files and
names starting with ``_`` (``_SUCCESS`` markers). Gzip is recognised by its
magic bytes, not its name. A file that cannot be read, is not valid gzip or
is not UTF-8 stops the import before anything is written: its rows would
otherwise be lost without a line to show for them.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from c360.errors import C360Error

_GZIP_MAGIC = b"\x1f\x8b"


def input_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read, in a stable order; a missing path or an empty folder is an error."""
    out: list[Path] = []
    for path in paths:
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            )
            if not found:
                raise C360Error(f"{path}: no files in this folder")
            out.extend(found)
        else:
            raise C360Error(f"{path}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(2) == _GZIP_MAGIC
    except OSError as exc:
        raise C360Error(f"{path}: cannot read it: {exc.strerror or exc}") from None


def read_text(path: Path) -> str:
    """The whole file as text (gzip undone, a UTF-8 byte-order mark dropped)."""
    try:
        raw = path.read_bytes()
        if raw[:2] == _GZIP_MAGIC:
            raw = gzip.decompress(raw)
    except OSError as exc:
        raise C360Error(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise C360Error(f"{path}: not a valid gzip file ({exc}); nothing was imported") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise C360Error(
            f"{path}: line {line} is not UTF-8 text; export it again as UTF-8 (nothing was "
            "imported)"
        ) from None


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line, newline dropped."""
    text = read_text(path)
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        yield number, line.rstrip("\r\n")


def shown_path(path: Path) -> str:
    """How a file is named in progress and reject lines: as the user gave it."""
    return str(path)
