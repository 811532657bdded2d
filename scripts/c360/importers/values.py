"""Parse one exported value into the type its landing column holds, or say why not.

Every parser takes the value as the export wrote it (CSV text, or a JSON
value) and returns the landing value, ``None`` for an empty one, or raises
``ValueProblem`` with a reason a person can act on. Parsers never guess: a
value that could mean two things is a problem, not a coin toss.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal, InvalidOperation

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Salesforce DateTime as the APIs write it: 2026-03-04T10:11:12.000Z (or +0000)
_SF_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$"
)
# A Stripe dashboard export's "(UTC)" column: 2026-03-04 10:11 or 2026-03-04 10:11:12
_DASHBOARD_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
# Currencies Stripe writes without a minor unit, and with three decimals
# (docs.stripe.com/currencies: zero-decimal and three-decimal currencies)
ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])


class ValueProblem(ValueError):
    """A value that does not fit its column; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def text_or_none(text: str) -> str | None:
    """CSV text: an empty field is null (Salesforce and Stripe write nothing for null)."""
    return text if text != "" else None


def parse_bool(text: str) -> bool | None:
    """``true``/``false`` (any case) or ``1``/``0``; empty is null."""
    if text == "":
        return None
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueProblem("not a boolean (true/false or 1/0)")


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueProblem("not a number") from None
    if not math.isfinite(value):
        raise ValueProblem("not a finite number")
    return value


def parse_float(text: str) -> float | None:
    """A number as text (``17095000.0``, ``1.7095E7``); empty is null."""
    return None if text == "" else _number(text)


def parse_int(text: str) -> int | None:
    """A whole number as text (``58``, ``58.0``, ``5.8E1``); empty is null."""
    if text == "":
        return None
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    value = _number(stripped)
    if not value.is_integer():
        raise ValueProblem("not a whole number")
    return int(value)


def parse_sf_datetime(text: str) -> str | None:
    """A Salesforce DateTime as the landing writes it: ISO-8601 UTC with milliseconds
    and ``Z`` (``2026-03-04T10:11:12.000Z``); an offset is converted to UTC."""
    if text == "":
        return None
    stripped = text.strip()
    if not _SF_DATETIME_RE.match(stripped):
        raise ValueProblem("not an ISO-8601 date-time with a zone (2026-03-04T10:11:12.000Z)")
    try:
        moment = dt.datetime.fromisoformat(stripped)
    except ValueError:
        raise ValueProblem("not a real date-time") from None
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_date(text: str) -> str | None:
    """A Salesforce Date (``YYYY-MM-DD``, no zone); empty is null."""
    if text == "":
        return None
    stripped = text.strip()
    if not _DATE_RE.match(stripped):
        raise ValueProblem("not a date (YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(stripped)
    except ValueError:
        raise ValueProblem("not a real date") from None
    return stripped


def parse_epoch(value: object) -> int | None:
    """Stripe time as epoch seconds: a JSON integer, digits as text, or a dashboard
    export's UTC date-time (``2026-03-04 10:11[:12]``) or ISO-8601 with a zone."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("a boolean, not a time")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        raise ValueProblem(f"a {type(value).__name__}, not epoch seconds")
    stripped = value.strip()
    if re.fullmatch(r"\d+", stripped):
        return int(stripped)
    if _DASHBOARD_TIME_RE.match(stripped):
        naive = dt.datetime.fromisoformat(stripped.replace(" ", "T"))
        return int(naive.replace(tzinfo=dt.UTC).timestamp())
    try:
        moment = dt.datetime.fromisoformat(stripped)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueProblem("not epoch seconds or a UTC date-time (2026-03-04 10:11:12)")
    return int(moment.timestamp())


def json_int(value: object) -> int | None:
    """A JSON whole number (Stripe amounts, counts); digits as text are accepted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("a boolean, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return parse_int(value)
    raise ValueProblem(f"a {type(value).__name__}, not a whole number")


def json_bool(value: object) -> bool | None:
    """A JSON boolean; ``"true"``/``"false"`` text is accepted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_bool(value)
    raise ValueProblem(f"a {type(value).__name__}, not a boolean")


def json_text(value: object) -> str | None:
    """A JSON string (numbers become their text: an id written as a number)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem("a boolean, not text")
    if isinstance(value, str | int):
        return str(value)
    raise ValueProblem(f"a {type(value).__name__}, not text")


def compact_json(value: object) -> str:
    """JSON text as the landing stores objects: compact, key order kept, UTF-8."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueProblem(f"cannot be written as JSON: {exc}") from None


def _json_cell(text: str, kind: type, name: str) -> str | None:
    """A CSV cell holding JSON of one ``kind``: checked, written compactly; empty is null."""
    if text == "":
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise ValueProblem("not JSON") from None
    if not isinstance(value, kind):
        raise ValueProblem(f"not a JSON {name}")
    return compact_json(value)


def json_object_text(text: str) -> str | None:
    """A CSV cell holding a JSON object (``metadata``)."""
    return _json_cell(text, dict, "object")


def json_array_text(text: str) -> str | None:
    """A CSV cell holding a JSON array (subscription ``items``)."""
    return _json_cell(text, list, "array")


def minor_units(text: str, currency: str | None) -> int | None:
    """A dashboard amount in major units (``33.00``) as an integer in the currency's
    minor unit (3300; yen have none). Needs the currency to know the exponent."""
    if text == "":
        return None
    if not currency:
        raise ValueProblem("an amount in major units needs the row's currency")
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise ValueProblem("not a decimal amount (e.g. 33.00)") from None
    if not amount.is_finite():
        raise ValueProblem("not a finite amount")
    code = currency.strip().lower()
    exponent = 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueProblem(f"more decimals than {code} has ({exponent})")
    return int(scaled)
