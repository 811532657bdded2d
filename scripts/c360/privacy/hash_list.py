"""``c360 hash``: the email_hash of each email of a list, to match it with the analytics file.

The analytics file shows people by ``person_key`` and ``email_hash`` only
(docs/privacy.md). An analyst who may hold a list of emails hashes it here,
under the same key as the build, and joins on ``email_hash``.

Input: one email per line, or with ``column`` a CSV file with a header row
and the emails in that column. Output: one hash per input line (per CSV row,
after an ``email_hash`` header), in the input's order, so the two files line
up. A blank line (an empty cell) gives a blank line; a value without an
``@`` is an error naming its line.

Exit codes: 0 hashed; 1 failed, nothing written (no hashing key, unreadable
file, no such column, a value that is not an email); 2 usage error.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from typing import TextIO

from c360.errors import C360Error
from c360.privacy import hashing, keys

HEADER = "email_hash"


def build_key() -> bytes:
    """The build's current key; never a new one (its hashes would match nothing)."""
    if not os.environ.get(keys.KEY_ENV) and not keys.key_file().exists():
        raise C360Error(
            f"no hashing key: set ${keys.KEY_ENV} to the key the build uses (or"
            f" ${keys.KEY_FILE_ENV} to its key file); a new key would match nothing"
            " (docs/privacy.md)"
        )
    return keys.load().current


def _hashed(key: bytes, value: str, where: str) -> str:
    if not value.strip():
        return ""
    if "@" not in value:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise C360Error(
            f"{where}: {shown!r} is not an email (no @); for a CSV with a header give --column NAME"
        )
    return hashing.email_hash(key, value)


def hash_lines(key: bytes, lines: Iterable[str], name: str) -> Iterator[str]:
    """One email_hash per line of ``lines`` (``name``: the input's name in errors)."""
    for number, line in enumerate(lines, start=1):
        yield _hashed(key, line.rstrip("\r\n"), f"{name}:{number}")


def hash_csv(key: bytes, lines: Iterable[str], column: str, name: str) -> Iterator[str]:
    """The header, then one email_hash per row of the CSV's ``column``."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or column not in header:
        found = ", ".join(header or []) or "nothing"
        raise C360Error(f"{name}:1: no column {column!r} in the header (found: {found})")
    index = header.index(column)
    yield HEADER
    for row in reader:
        value = row[index] if index < len(row) else ""
        yield _hashed(key, value, f"{name}:{reader.line_num}")


def run_hash(source: TextIO, name: str, column: str | None, out: TextIO) -> int:
    """Hash ``source`` to ``out``; returns how many lines were written."""
    key = build_key()
    lines = hash_csv(key, source, column, name) if column else hash_lines(key, source, name)
    # every line first: an error leaves nothing half-written
    hashed = list(lines)
    out.writelines(line + "\n" for line in hashed)
    out.flush()
    return len(hashed)
