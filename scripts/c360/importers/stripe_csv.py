"""Stripe CSV exports to ``billing/*`` rows: the dashboard's, or API field names flat.

Headers are matched after folding case, dropping a ``(UTC)`` suffix and
turning spaces and dots into ``_``: the dashboard's ``Customer ID``,
``Created (UTC)``, ``Current Period End (UTC)`` and flat API names such as
``customer``, ``address.country`` or ``recurring_interval`` all find their
column (the table ``HEADERS`` has every name each column accepts).
Dashboard columns ``<key> (metadata)`` are gathered into ``metadata``.

Values: empty is null; times are epoch seconds, or the dashboard's UTC
date-time (``2026-03-04 10:11`` or with seconds); an amount under a
dashboard title (``Amount``, ``Amount Due``) is in major units (``33.00``)
and becomes the currency's minor unit (3300, yen as is), while one under an
API name (``unit_amount``, ``amount_due``) is already an integer of minor
units. A dashboard subscription row with a ``Plan`` (a price id) and
``Quantity`` becomes a one-item ``items`` array.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from c360 import spec
from c360.errors import C360Error
from c360.importers.stripe import Fields
from c360.importers.values import (
    compact_json,
    json_array_text,
    json_object_text,
    minor_units,
    parse_bool,
    parse_epoch,
    parse_int,
    text_or_none,
)

# spec column (or an item field) -> the folded header names that fill it
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "billing/customers": {
        "id": ("id", "customer_id"),
        "email": ("email",),
        "name": ("name",),
        "created": ("created",),
        "currency": ("currency",),
        "address_country": ("address_country",),
        "deleted": ("deleted",),
        "metadata": ("metadata",),
    },
    "billing/subscriptions": {
        "id": ("id", "subscription_id"),
        "customer": ("customer", "customer_id"),
        "status": ("status",),
        "created": ("created",),
        "start_date": ("start_date", "start"),
        "current_period_start": ("current_period_start",),
        "current_period_end": ("current_period_end",),
        "cancel_at_period_end": ("cancel_at_period_end",),
        "canceled_at": ("canceled_at",),
        "ended_at": ("ended_at",),
        "trial_start": ("trial_start",),
        "trial_end": ("trial_end",),
        "currency": ("currency",),
        "items": ("items",),
        "item.price": ("plan", "plan_id", "price", "price_id"),
        "item.quantity": ("quantity",),
    },
    "billing/products": {
        "id": ("id", "product_id"),
        "name": ("name",),
        "active": ("active",),
        "metadata": ("metadata",),
    },
    "billing/prices": {
        "id": ("id", "price_id"),
        "product": ("product", "product_id"),
        "currency": ("currency",),
        "unit_amount": ("unit_amount", "amount"),
        "recurring_interval": ("recurring_interval", "interval"),
        "recurring_interval_count": ("recurring_interval_count", "interval_count"),
        "active": ("active",),
    },
    "billing/invoices": {
        "id": ("id", "invoice_id"),
        "customer": ("customer", "customer_id"),
        "subscription": ("subscription", "subscription_id"),
        "status": ("status",),
        "currency": ("currency",),
        "amount_due": ("amount_due",),
        "amount_paid": ("amount_paid",),
        "total": ("total",),
        "period_start": ("period_start",),
        "period_end": ("period_end",),
        "created": ("created", "date"),
    },
}
AMOUNTS = frozenset({"unit_amount", "amount_due", "amount_paid", "total"})
_METADATA_RE = re.compile(r"^(.+?)\s*\(metadata\)$", re.IGNORECASE)


def fold(header: str) -> str:
    """``Current Period End (UTC)`` -> ``current_period_end``; ``address.country`` ->
    ``address_country``."""
    text = re.sub(r"\s*\(utc\)\s*$", "", header.strip().lower())
    return re.sub(r"[\s.]+", "_", text)


@dataclass(frozen=True)
class Layout:
    """Where each column's value is in a file's records, and how it is written."""

    positions: dict[str, int]  # spec column or item field -> header position
    titled: frozenset[str]  # columns under a dashboard title (amounts in major units)
    metadata: dict[str, int]  # metadata key -> header position
    ignored: int


def layout(path: Path, table: spec.Table, header: list[str]) -> Layout:
    """Match a file's headers to the table's columns; two headers for one column is an error."""
    wanted = HEADERS[table.name]
    positions: dict[str, int] = {}
    titled: set[str] = set()
    metadata: dict[str, int] = {}
    used = 0
    for i, raw in enumerate(header):
        meta = _METADATA_RE.match(raw)
        if meta and "metadata" in wanted:
            metadata[meta.group(1)] = i
            used += 1
            continue
        folded = fold(raw)
        column = next((c for c, names in wanted.items() if folded in names), None)
        if column is None:
            continue
        if column in positions:
            raise C360Error(
                f"{path}: headers {header[positions[column]]!r} and {raw!r} both fill "
                f"column {column!r}; remove one (nothing was imported)"
            )
        positions[column] = i
        used += 1
        if raw != folded:
            titled.add(column)
    if "metadata" in positions and metadata:
        raise C360Error(
            f"{path}: both a metadata column and '<key> (metadata)' columns; keep one "
            "(nothing was imported)"
        )
    if "id" not in positions:
        raise C360Error(f"{path}: no id column: a {table.name} export needs one")
    return Layout(positions, frozenset(titled), metadata, len(header) - used)


def flatten_record(
    table: spec.Table, shape: Layout, fields: list[str], file: str, line: str
) -> Fields:
    """One CSV record's row and its problems."""
    out = Fields(file, line)

    def cell(column: str) -> str | None:
        position = shape.positions.get(column)
        return fields[position] if position is not None else None

    currency = cell("currency")
    for column in table.column_names:
        text = cell(column)
        if text is None:
            continue
        out.put(column, text, _parser(table.name, column, column in shape.titled, currency))
    if shape.metadata:
        meta = {key: fields[i] for key, i in shape.metadata.items() if fields[i] != ""}
        out.values["metadata"] = compact_json(meta)
    if table.name == "billing/subscriptions" and "items" not in shape.positions:
        price, quantity = cell("item.price"), cell("item.quantity")
        if price:
            out.put(
                "items",
                quantity or "",
                lambda q: compact_json(
                    [{"id": None, "price": price, "quantity": parse_int(str(q))}]
                ),
            )
    return out


def _parser(
    table_name: str, column: str, titled: bool, currency: str | None
) -> Callable[[object], object]:
    kind = next(c for c in spec.table(table_name).columns if c.name == column).arrow_type
    if column in AMOUNTS and titled:
        return lambda text: minor_units(str(text), currency)
    if column == "metadata":
        return lambda text: json_object_text(str(text))
    if column == "items":
        return lambda text: json_array_text(str(text))
    if kind == spec.INT:
        if column in AMOUNTS or column == "recurring_interval_count":
            return lambda text: parse_int(str(text))
        return parse_epoch
    if kind == spec.BOOL:
        return lambda text: parse_bool(str(text))
    return lambda text: text_or_none(str(text))
