"""Check one cell: is the value what its column holds, and would dbt read it as meant?"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache

from c360.seeds.problems import FIX_HINT, Severity, did_you_mean, quote
from c360.tzdb import zone_names


class Kind(StrEnum):
    TEXT = "text"  # free text (a name, a note): spaces around it only warn
    ID = "id"  # an id as typed (company ids, plan names)
    CODE = "code"  # defines a code: lower-case letters, digits and _
    CODE_REF = "code_ref"  # names a code defined elsewhere; any case (the models lower-case it)
    PATTERN = "pattern"  # must match Column.pattern (country codes, currency codes)
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"  # one of Column.choices
    TIMEZONE = "timezone"  # an IANA zone in any case, or an alias (checked against the aliases)
    IANA = "iana"  # an IANA zone, written as the database writes it
    ALIAS = "alias"  # a time-zone alias in any case; unique ignoring case and spaces
    PROPERTIES = "properties"  # property names separated by '|'


TYPED = {Kind.INTEGER, Kind.DECIMAL, Kind.BOOLEAN, Kind.DATE}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    case_sensitive: bool = True  # CHOICE only: False when the models lower-case the value
    pattern: str = ""  # PATTERN only
    expected: str = ""  # PATTERN only: what a value looks like, in words


@dataclass(frozen=True)
class Finding:
    """What is wrong with a cell (the caller adds file, line, column and value)."""

    message: str
    suggestion: str | None = None
    severity: Severity = Severity.ERROR
    fixable: bool = False


Value = str | int | Decimal | bool | dt.date | None

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d+(\.\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}([,. '\u00a0\u2019]\d{3})+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
)
_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_TRUE, _FALSE = "true", "false"
# What dbt (DuckDB) also reads as a boolean, and other spreadsheets' words for it.
_LOOSE_BOOLEANS = {"yes": _TRUE, "no": _FALSE, "y": _TRUE, "n": _FALSE, "t": _TRUE, "f": _FALSE}
_LOOSE_BOOLEANS |= {"1": _TRUE, "0": _FALSE}
_FOREIGN_BOOLEANS = {
    "wahr": _TRUE, "falsch": _FALSE, "vrai": _TRUE, "faux": _FALSE, "ja": _TRUE, "nein": _FALSE,
    "verdadero": _TRUE, "falso": _FALSE, "vero": _TRUE, "oui": _TRUE, "non": _FALSE,
}  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Spreadsheets count days from 1899-12-30; 20000..80000 is 1954..2119.
_SPREADSHEET_EPOCH = dt.date(1899, 12, 30)


@cache
def iana_zones() -> dict[str, str]:
    """Every IANA zone name of the pinned tz database (c360.tzdb), by its case-folded name."""
    return {name.casefold(): name for name in zone_names()}


def label_key(text: str) -> str:
    """The models' label_key macro: lower-case, without spaces (no-break too), '-', '_', '.'."""
    return re.sub(r"[\s\u00a0._-]+", "", text.lower())


def normalise_alias(text: str) -> str:
    """A time-zone alias as the alias seed writes it: lower-case, trimmed, single spaces."""
    return " ".join(text.lower().split())


def slug(text: str) -> str:
    """A code made from free text: 'Online Ticketing' -> 'online_ticketing'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def check_cell(column: Column, raw: str) -> tuple[Value, list[Finding]]:
    """The value parsed (None when empty or invalid) and what is wrong with the cell."""
    findings: list[Finding] = []
    value = raw.strip()
    if value != raw:
        findings.append(_spaces_finding(column))
    if not value:
        if column.required:
            findings.append(Finding("empty, but every row needs a value"))
        return None, findings
    parsed, finding = _CHECKS[column.kind](column, value)
    if finding is not None:
        findings.append(finding)
    return parsed, findings


def _spaces_finding(column: Column) -> Finding:
    if column.kind is Kind.TEXT:
        return Finding(
            "spaces around the value", suggestion=FIX_HINT, severity=Severity.WARNING, fixable=True
        )
    why = (
        f"dbt cannot read it as {_TYPED_WORDS[column.kind]}"
        if column.kind in TYPED
        else "dbt keeps them, so the value would not match"
    )
    return Finding(f"spaces around the value: {why}", suggestion=FIX_HINT, fixable=True)


_TYPED_WORDS = {
    Kind.INTEGER: "a number",
    Kind.DECIMAL: "a number",
    Kind.BOOLEAN: "true or false",
    Kind.DATE: "a date",
}

Check = tuple[Value, Finding | None]


def _text(column: Column, value: str) -> Check:
    return value, None


def _id(column: Column, value: str) -> Check:
    if _SCIENTIFIC.fullmatch(value):
        return None, Finding(
            "looks like a long number a spreadsheet rewrote in scientific notation",
            suggestion="format the column as text and paste the id again",
        )
    return value, None


def _code(column: Column, value: str) -> Check:
    if _CODE.fullmatch(value):
        return value, None
    suggestion = f"write it as {quote(slug(value))}" if slug(value) else None
    return None, Finding(
        "a code uses only lower-case letters, digits and _ (and starts with a letter)",
        suggestion=suggestion,
    )


def _code_ref(column: Column, value: str) -> Check:
    if _CODE.fullmatch(value.lower()):
        return value.lower(), None
    suggestion = f"write the code, e.g. {quote(slug(value))}" if slug(value) else None
    return None, Finding("not a code (letters, digits and _ only)", suggestion=suggestion)


def _pattern(column: Column, value: str) -> Check:
    if re.fullmatch(column.pattern, value):
        return value, None
    for variant in (value.upper(), value.lower()):
        if re.fullmatch(column.pattern, variant):
            return None, Finding(
                f"expected {column.expected}", suggestion=f"write {quote(variant)}"
            )
    return None, Finding(f"expected {column.expected}")


def _integer(column: Column, value: str) -> Check:
    if _INTEGER.fullmatch(value):
        return int(value), None
    if _THOUSANDS.fullmatch(value):
        digits = re.sub(r"\D", "", value)
        return None, Finding(
            "a number with thousands separators", suggestion=f"write {quote(digits)}"
        )
    return None, Finding("not a whole number")


def _decimal(column: Column, value: str) -> Check:
    if _DECIMAL.fullmatch(value):
        try:
            return Decimal(value), None
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return None, Finding("not a number")
    if _THOUSANDS.fullmatch(value):
        digits = re.sub(r"\D", "", value)
        return None, Finding(
            "a number with thousands separators", suggestion=f"write {quote(digits)}"
        )
    if _DECIMAL_COMMA.fullmatch(value):
        return None, Finding(
            "a decimal comma", suggestion=f"write {quote(value.replace(',', '.'))}"
        )
    if _SCIENTIFIC.fullmatch(value):
        written = format(Decimal(value), "f")
        return None, Finding(
            "a number in scientific notation", suggestion=f"write {quote(written)}"
        )
    return None, Finding("not a number (digits and an optional '.' only)")


def _boolean(column: Column, value: str) -> Check:
    folded = value.casefold()
    if folded in (_TRUE, _FALSE):
        return folded == _TRUE, None
    if folded in _LOOSE_BOOLEANS:
        meant = _LOOSE_BOOLEANS[folded]
        return meant == _TRUE, Finding(
            "dbt reads it, but this column is written true or false",
            suggestion=f"write {quote(meant)}",
            severity=Severity.WARNING,
        )
    if folded in _FOREIGN_BOOLEANS:
        meant = _FOREIGN_BOOLEANS[folded]
        return None, Finding("not true or false", suggestion=f"write {quote(meant)}")
    return None, Finding("not true or false")


def _date(column: Column, value: str) -> Check:
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            return None, Finding("not a real date")
    if match := _DATE_TIME.fullmatch(value):
        return None, Finding(
            "a date and time; this column holds a date",
            suggestion=f"write {quote(match.group(1))}",
        )
    if match := _YEAR_MONTH_DAY.fullmatch(value):
        return None, _as_iso(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_MONTH_YEAR.fullmatch(value):
        return None, _day_month_year(int(match[1]), int(match[2]), match[3])
    if value.isdigit() and 20000 <= int(value) <= 80000:
        day = _SPREADSHEET_EPOCH + dt.timedelta(days=int(value))
        return None, Finding(
            "a spreadsheet's date number, not a date",
            suggestion=f"write it as YYYY-MM-DD: {quote(day.isoformat())}?",
        )
    return None, Finding("not a date", suggestion="write it as YYYY-MM-DD, e.g. '2026-03-04'")


def _as_iso(year: int, month: int, day: int) -> Finding:
    try:
        iso = dt.date(year, month, day).isoformat()
    except ValueError:
        return Finding("not a real date")
    return Finding("dates are written YYYY-MM-DD", suggestion=f"write {quote(iso)}")


def _day_month_year(first: int, second: int, year_text: str) -> Finding:
    if len(year_text) == 2:
        return Finding(
            "a two-digit year, and day and month may be either way round",
            suggestion="write the date as YYYY-MM-DD, e.g. '2026-03-04'",
        )
    year = int(year_text)
    readings: list[dt.date] = []
    for day, month in ((first, second), (second, first)):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate not in readings:
            readings.append(candidate)
    if not readings:
        return Finding("not a real date", suggestion="write it as YYYY-MM-DD")
    if len(readings) == 1:
        return Finding(
            "dates are written YYYY-MM-DD", suggestion=f"write {quote(readings[0].isoformat())}"
        )
    words = " or ".join(f"{d.day} {_MONTHS[d.month - 1]}" for d in readings)
    isos = " or ".join(d.isoformat() for d in readings)
    return Finding(
        f"ambiguous date ({words} {year}?)", suggestion=f"write it as YYYY-MM-DD: {isos}"
    )


def _choice(column: Column, value: str) -> Check:
    if value in column.choices:
        return value, None
    folded = {choice.casefold(): choice for choice in column.choices}
    if value.casefold() in folded:
        choice = folded[value.casefold()]
        if not column.case_sensitive:
            return choice, None
        return None, Finding(f"write it as {quote(choice)}")
    listed = ", ".join(column.choices)
    return None, Finding(
        f"not one of: {listed}", suggestion=did_you_mean(value, column.choices, cutoff=0.5)
    )


def _timezone(column: Column, value: str) -> Check:
    # Whether an alias matches needs the alias seed: the rules check it.
    return value, None


def _iana(column: Column, value: str) -> Check:
    zones = iana_zones()
    canonical = zones.get(value.casefold())
    if canonical == value:
        return value, None
    if canonical is not None:
        return None, Finding(
            "write the zone as the time-zone database does", suggestion=f"write {quote(canonical)}"
        )
    return None, Finding("unknown time zone", suggestion=did_you_mean(value, zones.values()))


def _alias(column: Column, value: str) -> Check:
    # Written as people write it ("Eastern Time (US & Canada)"); matched ignoring case and
    # spaces, so the normalised form is what must be unique.
    return normalise_alias(value), None


def _properties(column: Column, value: str) -> Check:
    if any(sep in value for sep in (",", ";")):
        joined = "|".join(p.strip() for p in re.split(r"[,;|]", value) if p.strip())
        return None, Finding("properties are separated by '|'", suggestion=f"write {quote(joined)}")
    pieces = value.split("|")
    if any(not piece for piece in pieces):
        return None, Finding("an empty property name (a '|' at an end, or '||')")
    bad = [piece for piece in pieces if not _PROPERTY.fullmatch(piece)]
    if bad:
        return None, Finding(
            f"{quote(bad[0])} is not a property name (letters, digits, _ and ., no spaces)"
        )
    return value, None


_CHECKS = {
    Kind.TEXT: _text,
    Kind.ID: _id,
    Kind.CODE: _code,
    Kind.CODE_REF: _code_ref,
    Kind.PATTERN: _pattern,
    Kind.INTEGER: _integer,
    Kind.DECIMAL: _decimal,
    Kind.BOOLEAN: _boolean,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.TIMEZONE: _timezone,
    Kind.IANA: _iana,
    Kind.ALIAS: _alias,
    Kind.PROPERTIES: _properties,
}
