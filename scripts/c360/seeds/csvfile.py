"""Read a seed CSV the way spreadsheet programs save it, and say what dbt would misread.

dbt reads a seed as UTF-8 (a byte-order mark is fine), comma-separated,
with consistent line endings, and DuckDB loads it by position. Spreadsheets
save other things: Windows-1252 instead of UTF-8, ``;`` between values
(locales with a decimal comma), a ``sep=;`` first line, mixed line endings
after an edit in another editor, spaces around values, trailing empty
columns and rows of empty cells. ``read_seed`` copes with all of them, so
the values can still be checked, and reports each one dbt would misread
as a (fixable) problem. Values are never changed here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from c360.seeds.problems import FIX_HINT, Problem, Severity

BOM = "\ufeff"
DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^sep=(.)$")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}


@dataclass
class Row:
    """One data row: the line it starts on (1 = the header) and its cells by column name."""

    line: int
    cells: dict[str, str]
    extra: list[str] = field(default_factory=list)  # cells beyond the header

    def get(self, column: str) -> str:
        """The cell as written ('' when the row is short or the column missing)."""
        return self.cells.get(column, "")


@dataclass
class SeedFile:
    path: Path
    display: str  # how messages name the file
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: list[Row] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"
    has_bom: bool = False
    has_sep_line: bool = False
    mixed_line_endings: bool = False
    header_cleaned: bool = False  # spaces around names, or empty names at the end
    empty_rows: int = 0  # rows of empty cells (dropped from ``rows``)
    padded_rows: int = 0  # rows with empty cells after the last column
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True

    @property
    def name(self) -> str:
        return self.path.stem

    def problem(
        self,
        line: int | None,
        message: str,
        *,
        suggestion: str | None = None,
        fixable: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a problem of the file or of a line (no column)."""
        self.problems.append(
            Problem(self.display, line, None, None, message, suggestion, severity, fixable)
        )


def decode(raw: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, why not UTF-8): UTF-8 if possible, else Windows-1252 (Excel's ANSI)."""
    try:
        return raw.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        why = f"byte 0x{raw[exc.start]:02x} on line {line}"
        return raw.decode("cp1252", errors="replace"), "cp1252", why


def _split_header(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns (ties: ',' first)."""
    best, best_count = ",", len(_split_header(header_line, ","))
    for candidate in DELIMITERS[1:]:
        count = len(_split_header(header_line, candidate))
        if count > best_count:
            best, best_count = candidate, count
    return best


def read_seed(path: Path, display: str) -> SeedFile:
    """Parse ``path``; problems that stop dbt from reading it right go to ``SeedFile.problems``."""
    seed = SeedFile(path, display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        seed.readable = False
        seed.problem(None, f"cannot read the file: {exc.strerror or exc}")
        return seed
    text, seed.encoding, not_utf8 = decode(raw)
    if not_utf8:
        seed.problem(
            None,
            f"not saved as UTF-8 ({not_utf8}); dbt cannot read it",
            suggestion="save it as 'CSV UTF-8', or "
            + FIX_HINT.replace("rewrite it", "convert it from Windows-1252"),
            fixable=True,
        )
    if text.startswith(BOM):
        seed.has_bom = True  # dbt skips a UTF-8 byte-order mark: nothing to report
        text = text[1:]
    crlf = text.count("\r\n")
    lone_lf = text.count("\n") - crlf
    if crlf and lone_lf:
        seed.mixed_line_endings = True
        seed.problem(
            None,
            f"mixed line endings ({crlf} lines end in CR LF, {lone_lf} in LF); "
            "DuckDB cannot load such a file",
            suggestion=FIX_HINT,
            fixable=True,
        )
    lines = text.splitlines()
    first_data_line = 1
    if lines and (match := _SEP_LINE.match(lines[0].strip())):
        seed.has_sep_line = True
        seed.delimiter = match.group(1)
        first_data_line = 2
        seed.problem(
            1,
            f"a 'sep={seed.delimiter}' first line (a spreadsheet hint); dbt would read it "
            "as the header",
            suggestion=FIX_HINT,
            fixable=True,
        )
        text = text.split("\n", 1)[1] if "\n" in text else ""
    elif lines:
        seed.delimiter = sniff_delimiter(lines[0])
    if not text.strip():
        seed.problem(None, "the file is empty: it needs at least the header line")
        seed.readable = False
        return seed
    if seed.delimiter != ",":
        seed.problem(
            first_data_line,
            f"values are separated by {_DELIMITER_NAMES.get(seed.delimiter, seed.delimiter)}, "
            "but dbt reads only ','",
            suggestion=FIX_HINT,
            fixable=True,
        )
    _parse_rows(seed, text, first_data_line)
    return seed


def _parse_rows(seed: SeedFile, text: str, first_line: int) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=seed.delimiter)
    previous_end = first_line - 1
    header_done = False
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = first_line - 1 + reader.line_num
            if not header_done:
                _read_header(seed, cells, start)
                header_done = True
                continue
            if not cells:  # a blank line: dbt and DuckDB skip it
                continue
            _read_row(seed, cells, start)
    except csv.Error as exc:
        seed.problem(
            previous_end + 1,
            f"the CSV cannot be read from here: {exc}",
            suggestion="check the quotes on this line",
        )


def _read_header(seed: SeedFile, cells: list[str], line: int) -> None:
    seed.header_line = line
    names = list(cells)
    while names and not names[-1].strip():
        names.pop()
    if len(names) < len(cells):
        seed.header_cleaned = True
        seed.problem(
            line,
            f"{len(cells) - len(names)} empty column name(s) at the end of the header "
            "(dbt would add unnamed columns)",
            suggestion=FIX_HINT,
            fixable=True,
        )
    for position, name in enumerate(names, start=1):
        if name != name.strip():
            seed.header_cleaned = True
            seed.problems.append(
                Problem(
                    seed.display,
                    line,
                    None,
                    name,
                    f"column name {position} has spaces around it; dbt would keep them in "
                    "the column's name",
                    suggestion=FIX_HINT,
                    fixable=True,
                )
            )
        elif not name:
            seed.problem(line, f"column {position} has no name in the header")
    stripped = [name.strip() for name in names]
    seen: set[str] = set()
    for name in stripped:
        if name and name in seen:
            seed.problem(line, f"the header names column '{name}' twice")
        seen.add(name)
    seed.header = stripped


def _read_row(seed: SeedFile, cells: list[str], line: int) -> None:
    width = len(seed.header)
    values, extra = cells[:width], cells[width:]
    if not any(cell.strip() for cell in cells):
        seed.empty_rows += 1
        seed.problem(
            line,
            "an empty row (every value empty); dbt would load it as a row of nulls",
            suggestion="delete the row, or " + FIX_HINT,
            fixable=True,
        )
        return
    if extra and not any(cell.strip() for cell in extra):
        seed.padded_rows += 1
        seed.problem(
            line,
            f"{len(extra)} empty value(s) after the last column",
            suggestion=FIX_HINT,
            fixable=True,
        )
        extra = []
    elif extra:
        seed.problem(
            line,
            f"{len(cells)} values, but the header has {width} columns",
            suggestion="a value that contains the separator needs double quotes around it",
        )
    if len(values) < width:
        seed.problem(
            line,
            f"{len(values)} values, but the header has {width} columns",
            suggestion="add the missing values (empty ones too: a,,c)",
        )
    row = Row(line, dict(zip(seed.header, values, strict=False)), extra)
    seed.rows.append(row)
