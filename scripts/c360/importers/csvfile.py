"""CSV exports read record by record, with the line each record starts on.

RFC 4180 as the standard library's ``csv`` reads it: quoted fields may hold
commas and line breaks, so a record's line is where it starts (the header is
line 1). A record whose field count differs from the header's is returned
with ``problem`` set instead of values.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from c360.errors import C360Error
from c360.importers.sources import read_text


@dataclass(frozen=True)
class Record:
    line: int
    fields: list[str]
    problem: str | None = None


@dataclass(frozen=True)
class CsvFile:
    path: Path
    header: list[str]
    records: list[Record]


def read_csv(path: Path) -> CsvFile:
    """The header and records of one CSV file (gzip or plain); an empty file is an error."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise C360Error(f"{path}: empty file: no header row")
        records: list[Record] = []
        start = reader.line_num + 1
        for fields in reader:
            if fields:  # a blank line between records is no record
                problem = None
                if len(fields) != len(header):
                    problem = f"{len(fields)} fields where the header has {len(header)}"
                records.append(Record(start, fields, problem))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise C360Error(
            f"{path}: line {reader.line_num}: not CSV ({exc}); nothing was imported"
        ) from None
    return CsvFile(path, [h.strip() for h in header], records)


def match_header(
    path: Path, header: list[str], names: tuple[str, ...], *, any_case: bool
) -> dict[str, int]:
    """Which header position holds each of ``names`` (exact, else any case when allowed).

    Two headers that name one column are an error: which one to land would be a guess.
    """
    exact = {h: i for i, h in enumerate(header)}
    out: dict[str, int] = {}
    for name in names:
        if name in exact:
            out[name] = exact[name]
            continue
        if not any_case:
            continue
        hits = [i for i, h in enumerate(header) if h.lower() == name.lower()]
        if len(hits) > 1:
            shown = ", ".join(repr(header[i]) for i in hits)
            raise C360Error(f"{path}: headers {shown} all name column {name!r}")
        if hits:
            out[name] = hits[0]
    return out
