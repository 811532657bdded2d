"""Reading and checking a landing zone from its files alone, per the raw-extracts spec.

Nothing here knows how the generator works: every rule comes from the
landing contract (``docs/landing-contract.md``) and its data form,
``c360.spec``. The same checks that find nothing in a clean landing zone find the faults in a
``--faults`` one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from c360 import spec
from c360.generate import generate
from c360.generate.config import GenerateConfig
from c360.progress import Progress

PART_RE = re.compile(r"^part-(\d{4})\.parquet$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAIVE_LOCAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SFDC_ID_RE = re.compile(r"^[A-Za-z0-9]{18}$")

EVENT_TYPES = frozenset({"identify", "track", "page", "screen", "group", "alias"})
CURRENCIES = frozenset({"usd", "eur", "gbp", "jpy"})
SUBSCRIPTION_STATUSES = frozenset(
    {"trialing", "active", "past_due", "canceled", "unpaid", "incomplete"}
)
INVOICE_STATUSES = frozenset({"draft", "open", "paid", "void", "uncollectible"})
ACCOUNT_TYPES = frozenset({"Prospect", "Customer", "Former Customer"})
OPPORTUNITY_TYPES = frozenset({"New Business", "Expansion", "Renewal"})
SATISFACTION_RATINGS = frozenset({"good", "bad", ""})
TELEMETRY_KEYS = ("version", "servers", "instances", "apps", "frontend_clients")

# Epoch seconds a Stripe object can plausibly carry: 2000-01-01 .. 2100-01-01.
# Milliseconds (13 digits) or a year-1970 zero fall outside.
EPOCH_MIN = 946_684_800
EPOCH_MAX = 4_102_444_800

# Problem kinds: the rejects the spec names, then anything else out of contract.
NULL_KEY = "null key"
BAD_TIMESTAMP = "unparseable timestamp"
SCORE_RANGE = "score out of range"
BAD_CURRENCY = "unknown currency"
INVALID = "invalid value"


def generate_quietly(cfg: GenerateConfig, out: Path) -> Path:
    """``c360 generate`` of ``cfg`` into ``out`` without progress lines; returns ``out``."""
    generate(cfg, out, progress=Progress(command="generate", quiet=True))
    return out


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Partition:
    """One ``<system>/<table>/extract_date=YYYY-MM-DD/`` directory."""

    root: Path
    system: str
    table: str
    extract_date: str

    @property
    def path(self) -> Path:
        return self.root / self.system / self.table / f"{spec.PARTITION_PREFIX}{self.extract_date}"

    @property
    def table_name(self) -> str:
        return f"{self.system}/{self.table}"

    @property
    def name(self) -> str:
        return f"{self.table_name}/{spec.PARTITION_PREFIX}{self.extract_date}"

    @property
    def manifest_path(self) -> Path:
        return self.path / spec.MANIFEST_NAME

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.extract_date)

    def parts(self) -> list[Path]:
        """The Parquet files, in name order."""
        return sorted(p for p in self.path.iterdir() if p.suffix == ".parquet")

    def manifest(self) -> dict[str, Any] | None:
        """The parsed manifest, or None when there is none."""
        if not self.manifest_path.exists():
            return None
        manifest: dict[str, Any] = json.loads(self.manifest_path.read_text())
        return manifest


def partitions(root: Path) -> list[Partition]:
    """Every ``<system>/<table>/extract_date=...`` directory under ``root``, sorted."""
    out = []
    for system_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for table_dir in sorted(p for p in system_dir.iterdir() if p.is_dir()):
            for part_dir in sorted(p for p in table_dir.iterdir() if p.is_dir()):
                if part_dir.name.startswith(spec.PARTITION_PREFIX):
                    out.append(
                        Partition(
                            root,
                            system_dir.name,
                            table_dir.name,
                            part_dir.name.removeprefix(spec.PARTITION_PREFIX),
                        )
                    )
    return out


def table_partitions(root: Path, table: spec.Table) -> list[Partition]:
    return [p for p in partitions(root) if p.table_name == table.name]


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by path relative to it."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------- reading


def try_read_parquet(path: Path) -> pa.Table | None:
    """The file as an Arrow table, or None when it is not readable Parquet."""
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError):
        return None


@dataclass(frozen=True)
class PartitionState:
    """What a loader can know about a partition before loading a row."""

    partition: Partition
    manifest: dict[str, Any] | None
    unreadable: tuple[Path, ...]
    schemas: dict[Path, pa.Schema]
    parquet_rows: int  # over readable files only

    @property
    def count_matches(self) -> bool:
        return self.manifest is not None and self.manifest.get("row_count") == self.parquet_rows

    def missing_columns(self, table: spec.Table) -> dict[Path, list[str]]:
        return {
            path: [c for c in table.column_names if c not in schema.names]
            for path, schema in self.schemas.items()
            if any(c not in schema.names for c in table.column_names)
        }

    def extra_columns(self, table: spec.Table) -> dict[Path, list[str]]:
        return {
            path: [c for c in schema.names if c not in table.column_names]
            for path, schema in self.schemas.items()
            if any(c not in table.column_names for c in schema.names)
        }

    def complete(self, table: spec.Table) -> bool:
        """Complete per the spec, and loadable: every required column present."""
        return (
            self.manifest is not None
            and not self.unreadable
            and self.count_matches
            and not self.missing_columns(table)
        )


@cache
def partition_state(part: Partition) -> PartitionState:
    unreadable: list[Path] = []
    schemas: dict[Path, pa.Schema] = {}
    rows = 0
    for path in part.parts():
        data = try_read_parquet(path)
        if data is None:
            unreadable.append(path)
            continue
        schemas[path] = data.schema
        rows += data.num_rows
    manifest = part.manifest()
    return PartitionState(part, manifest, tuple(unreadable), schemas, rows)


@dataclass(frozen=True)
class Row:
    """One row of one file, for problem reports."""

    partition: Partition
    file: Path
    index: int
    values: dict[str, Any]

    def where(self) -> str:
        return f"{self.partition.name}/{self.file.name} row {self.index}"


def iter_rows(parts: list[Partition]) -> Iterator[Row]:
    """Every row of every readable file of ``parts``."""
    for part in parts:
        for path in part.parts():
            data = try_read_parquet(path)
            if data is None:
                continue
            for i, values in enumerate(data.to_pylist()):
                yield Row(part, path, i, values)


# --------------------------------------------------------------------------- value checks


def parse_iso(text: str) -> dt.datetime:
    """An ISO-8601 date-time with a time part; raises ValueError otherwise."""
    if not isinstance(text, str) or "T" not in text:
        raise ValueError(f"not an ISO-8601 date-time: {text!r}")
    return dt.datetime.fromisoformat(text)


def parse_aware(text: str) -> dt.datetime:
    """An ISO-8601 date-time that carries ``Z`` or an offset."""
    value = parse_iso(text)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"no offset: {text!r}")
    return value


def parse_utc_z(text: str) -> dt.datetime:
    """Salesforce DateTime: ISO-8601 UTC ending in ``Z``."""
    if not text.endswith("Z"):
        raise ValueError(f"does not end in Z: {text!r}")
    value = parse_aware(text)
    if value.utcoffset() != dt.timedelta(0):
        raise ValueError(f"not UTC: {text!r}")
    return value


def parse_date(text: str) -> dt.date:
    if not DATE_RE.match(text):
        raise ValueError(f"not YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)


def parse_naive_local(text: str) -> dt.datetime:
    """Help-desk local time: ``YYYY-MM-DD HH:MM:SS``, no offset."""
    if not NAIVE_LOCAL_RE.match(text):
        raise ValueError(f"not 'YYYY-MM-DD HH:MM:SS': {text!r}")
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def empty(value: Any) -> bool:
    return value is None or value == ""


@cache
def is_iana_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Problem:
    kind: str
    column: str
    reason: str


class _Checker:
    """Collects problems for one row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.problems: list[Problem] = []

    def add(self, kind: str, column: str, reason: str) -> None:
        self.problems.append(Problem(kind, column, reason))

    def key(self, column: str) -> Any:
        value = self.values.get(column)
        if empty(value):
            self.add(NULL_KEY, column, f"key is {value!r}")
        return value

    def required(self, column: str) -> Any:
        value = self.values.get(column)
        if value is None:
            self.add(INVALID, column, "required value is null")
        return value

    def time(self, column: str, parse: Callable[[str], Any], *, nullable: bool = False) -> Any:
        value = self.values.get(column)
        if value is None or value == "":
            if not nullable:
                self.add(BAD_TIMESTAMP, column, f"required timestamp is {value!r}")
            return None
        try:
            return parse(value)
        except (ValueError, TypeError) as exc:
            self.add(BAD_TIMESTAMP, column, str(exc))
            return None

    def epoch(self, column: str, *, nullable: bool = False) -> None:
        value = self.values.get(column)
        if value is None:
            if not nullable:
                self.add(BAD_TIMESTAMP, column, "required epoch is null")
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(BAD_TIMESTAMP, column, f"not integer epoch seconds: {value!r}")
        elif not EPOCH_MIN <= value < EPOCH_MAX:
            self.add(BAD_TIMESTAMP, column, f"implausible epoch seconds: {value!r}")

    def date(self, column: str) -> None:
        value = self.values.get(column)
        if value is None or value == "":
            return
        try:
            parse_date(value)
        except (ValueError, TypeError) as exc:
            self.add(BAD_TIMESTAMP, column, str(exc))

    def one_of(self, column: str, allowed: frozenset[str], *, nullable: bool = False) -> None:
        value = self.values.get(column)
        if value is None and nullable:
            return
        if value not in allowed:
            self.add(INVALID, column, f"{value!r} not in {sorted(allowed)}")

    def currency(self, column: str, *, nullable: bool = False) -> None:
        value = self.values.get(column)
        if value is None and nullable:
            return
        if value not in CURRENCIES:
            self.add(BAD_CURRENCY, column, f"{value!r} not in {sorted(CURRENCIES)}")

    def json(self, column: str, expect: type) -> Any:
        value = self.values.get(column)
        if value is None:
            return None
        try:
            parsed = json.loads(value)
        except (ValueError, TypeError) as exc:
            self.add(INVALID, column, f"not JSON: {exc}")
            return None
        if not isinstance(parsed, expect):
            self.add(INVALID, column, f"JSON is {type(parsed).__name__}, not {expect.__name__}")
            return None
        return parsed

    def prefixed(self, column: str, prefix: str, *, nullable: bool = False) -> None:
        value = self.values.get(column)
        if empty(value) and nullable:
            return
        if not isinstance(value, str) or not value.startswith(prefix):
            self.add(INVALID, column, f"{value!r} does not start with {prefix!r}")

    def sfdc_id(self, column: str, *, nullable: bool = True) -> None:
        value = self.values.get(column)
        if empty(value) and nullable:
            return
        if not isinstance(value, str) or not SFDC_ID_RE.match(value):
            self.add(INVALID, column, f"not an 18-character Salesforce id: {value!r}")


def _check_events(c: _Checker) -> None:
    c.key("messageId")
    c.one_of("type", EVENT_TYPES)
    kind = c.values.get("type")
    c.time("timestamp", parse_aware)
    c.time("sentAt", parse_aware, nullable=True)
    received = c.time("receivedAt", parse_aware)
    if received is not None and received.utcoffset() != dt.timedelta(0):
        c.add(INVALID, "receivedAt", f"not UTC: {c.values['receivedAt']!r}")
    if empty(c.values.get("userId")) and empty(c.values.get("anonymousId")):
        c.add(INVALID, "anonymousId", "neither userId nor anonymousId")
    required_by_type = {
        "track": ("event",),
        "identify": ("userId",),
        "alias": ("userId", "previousId"),
        "group": ("groupId",),
    }
    for column in required_by_type.get(str(kind), ()):
        if empty(c.values.get(column)):
            c.add(INVALID, column, f"{kind} call without {column}")
    context = c.json("context", dict)
    properties = c.json("properties", dict)
    c.json("traits", dict)
    if context:
        zone = context.get("timezone")
        if zone is not None and not (isinstance(zone, str) and is_iana_zone(zone)):
            c.add(INVALID, "context", f"context.timezone {zone!r} is not an IANA zone")
        prefs = (context.get("consent") or {}).get("categoryPreferences")
        if prefs is not None and not (
            isinstance(prefs, dict) and all(isinstance(v, bool) for v in prefs.values())
        ):
            c.add(INVALID, "context", f"consent.categoryPreferences not category->bool: {prefs!r}")
    if kind == "track" and c.values.get("event") == "Telemetry Reported":
        missing = [k for k in TELEMETRY_KEYS if k not in (properties or {})]
        if missing:
            c.add(INVALID, "properties", f"Telemetry Reported without {missing}")


def _check_crm_common(c: _Checker, *, created: bool = True) -> None:
    c.key("Id")
    c.sfdc_id("Id", nullable=False)
    if created:
        c.time("CreatedDate", parse_utc_z)
    c.time("LastModifiedDate", parse_utc_z)
    c.time("SystemModstamp", parse_utc_z)


def _check_crm_accounts(c: _Checker) -> None:
    _check_crm_common(c)
    for column in ("ParentId", "OwnerId", "CSM__c"):
        c.sfdc_id(column)
    c.one_of("Type", ACCOUNT_TYPES, nullable=True)
    c.date("Contract_Signed_Date__c")
    c.date("Onboarding_Completed_Date__c")
    c.required("IsDeleted")


def _check_crm_contacts(c: _Checker) -> None:
    _check_crm_common(c)
    c.sfdc_id("AccountId")
    c.required("IsDeleted")


def _check_crm_users(c: _Checker) -> None:
    _check_crm_common(c, created=False)


def _check_crm_opportunities(c: _Checker) -> None:
    _check_crm_common(c)
    c.sfdc_id("AccountId")
    c.one_of("Type", OPPORTUNITY_TYPES, nullable=True)
    c.date("CloseDate")
    c.required("IsDeleted")


def _check_billing_customers(c: _Checker) -> None:
    c.key("id")
    c.prefixed("id", "cus_")
    c.epoch("created")
    # Stripe leaves a customer's currency null until its first charge.
    c.currency("currency", nullable=True)
    c.required("deleted")
    c.json("metadata", dict)


def _check_billing_subscriptions(c: _Checker) -> None:
    c.key("id")
    c.prefixed("id", "sub_")
    c.prefixed("customer", "cus_")
    c.one_of("status", SUBSCRIPTION_STATUSES)
    for column in ("created", "start_date", "current_period_start", "current_period_end"):
        c.epoch(column)
    for column in ("canceled_at", "ended_at", "trial_start", "trial_end"):
        c.epoch(column, nullable=True)
    c.currency("currency")
    items = c.json("items", list)
    for item in items or []:
        if not isinstance(item, dict) or not {"id", "price", "quantity"} <= item.keys():
            c.add(INVALID, "items", f"item is not {{id, price, quantity}}: {item!r}")
        elif not str(item["price"]).startswith("price_") or not isinstance(item["quantity"], int):
            c.add(INVALID, "items", f"bad item price/quantity: {item!r}")


def _check_billing_products(c: _Checker) -> None:
    c.key("id")
    c.prefixed("id", "prod_")
    metadata = c.json("metadata", dict)
    if metadata is not None and "plan" not in metadata:
        c.add(INVALID, "metadata", f"product metadata without 'plan': {metadata!r}")


def _check_billing_prices(c: _Checker) -> None:
    c.key("id")
    c.prefixed("id", "price_")
    c.prefixed("product", "prod_")
    c.currency("currency")
    amount = c.values.get("unit_amount")
    if amount is not None and amount < 0:
        c.add(INVALID, "unit_amount", f"negative: {amount}")
    c.one_of("recurring_interval", frozenset({"month", "year"}))
    count = c.values.get("recurring_interval_count")
    if count is None or count < 1:
        c.add(INVALID, "recurring_interval_count", f"{count!r} is not >= 1")


def _check_billing_invoices(c: _Checker) -> None:
    c.key("id")
    c.prefixed("id", "in_")
    c.prefixed("customer", "cus_")
    c.prefixed("subscription", "sub_", nullable=True)
    c.one_of("status", INVOICE_STATUSES)
    c.currency("currency")
    for column in ("amount_due", "amount_paid", "total"):
        c.required(column)
    for column in ("period_start", "period_end", "created"):
        c.epoch(column)


def _check_support_tickets(c: _Checker) -> None:
    c.key("ticket_id")
    c.sfdc_id("organization_external_id")
    c.one_of("satisfaction_rating", SATISFACTION_RATINGS, nullable=True)
    c.time("created_at", parse_naive_local)
    c.time("updated_at", parse_naive_local)
    c.time("solved_at", parse_naive_local, nullable=True)


def _check_support_nps(c: _Checker) -> None:
    c.key("response_id")
    score = c.values.get("score")
    if score is None or not 0 <= score <= 10:
        c.add(SCORE_RANGE, "score", f"{score!r} is not 0..10")
    c.time("submitted_at", parse_aware)


ROW_CHECKS: dict[str, Callable[[_Checker], None]] = {
    "events/messages": _check_events,
    "crm/accounts": _check_crm_accounts,
    "crm/contacts": _check_crm_contacts,
    "crm/users": _check_crm_users,
    "crm/opportunities": _check_crm_opportunities,
    "billing/customers": _check_billing_customers,
    "billing/subscriptions": _check_billing_subscriptions,
    "billing/products": _check_billing_products,
    "billing/prices": _check_billing_prices,
    "billing/invoices": _check_billing_invoices,
    "support/tickets": _check_support_tickets,
    "support/nps_responses": _check_support_nps,
}


def row_problems(table: spec.Table, values: dict[str, Any]) -> list[Problem]:
    """Everything in one row that the spec says cannot be loaded as is."""
    checker = _Checker(values)
    ROW_CHECKS[table.name](checker)
    return checker.problems


def partition_faults(part: Partition) -> list[str]:
    """Everything a loader would flag in ``part``: incompleteness, drift, bad rows."""
    table = spec.table(part.table_name)
    state = partition_state(part)
    found = []
    if state.manifest is None:
        found.append("no manifest")
    elif not state.count_matches:
        count = state.manifest.get("row_count")
        found.append(f"manifest {count} rows, parquet {state.parquet_rows}")
    found += [f"unreadable {p.name}" for p in state.unreadable]
    found += [f"{p.name} lacks {cols}" for p, cols in state.missing_columns(table).items()]
    found += [f"{p.name} adds {cols}" for p, cols in state.extra_columns(table).items()]
    if not state.missing_columns(table):
        for row in iter_rows([part]):
            found += [
                f"{row.where()}: {p.column}: {p.kind}" for p in row_problems(table, row.values)
            ]
    return found


def describe(found: list[str], limit: int = 15) -> str:
    """A readable assertion message for a list of findings."""
    more = f"\n... and {len(found) - limit} more" if len(found) > limit else ""
    return f"{len(found)} found:\n" + "\n".join(found[:limit]) + more
