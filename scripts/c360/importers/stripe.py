"""Stripe API objects (JSON) to ``billing/*`` rows, flattened as the contract has them.

Input: what the API's list endpoints return, saved to a file: a list page
``{"object": "list", "url": "/v1/customers", "data": [...]}`` (a search
result page too), a JSON array of objects, or NDJSON (one object a line).
Each object says what it is (``"object": "customer"``); ``--object`` names
it for objects that do not, and an empty page is known by its ``url``.

Flattening (the contract's columns; times stay epoch seconds):

- customer: ``address.country`` -> ``address_country``, ``metadata`` (an
  object) -> JSON text, ``deleted`` absent -> false (a deleted customer is
  ``{"id", "object", "deleted": true}``).
- subscription: ``customer`` (an id, or the expanded object's ``id``),
  ``items.data[]`` -> ``items``, a JSON array of ``{"id", "price", "quantity"}``
  with the price's id (a legacy ``plan``'s when there is no price); the
  current period from the subscription, else from its items (API versions
  from 2025-03-31 keep it there): the earliest start and latest end.
- price: ``product`` (an id or the expanded object's), ``recurring.interval``
  and ``recurring.interval_count`` -> ``recurring_interval(_count)``.
- product: ``metadata`` -> JSON text.
- invoice: ``subscription``, or (newer API versions)
  ``parent.subscription_details.subscription``.

Customers, subscriptions, products and prices are full extracts (every
object that exists), invoices incremental.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from c360 import spec
from c360.importers.batches import Values
from c360.importers.rejects import Reject, shown
from c360.importers.values import (
    ValueProblem,
    compact_json,
    json_bool,
    json_int,
    json_text,
    parse_epoch,
)

OBJECTS: dict[str, str] = {
    "customer": "billing/customers",
    "subscription": "billing/subscriptions",
    "product": "billing/products",
    "price": "billing/prices",
    "invoice": "billing/invoices",
}
_PLURALS = {f"{name}s": name for name in OBJECTS}
_URL_OBJECTS = {f"/v1/{name}s": name for name in OBJECTS}


def object_name(text: str) -> str | None:
    """``customer``/``customers``/... as the object name, or None."""
    lowered = text.strip().lower()
    return _PLURALS.get(lowered, lowered if lowered in OBJECTS else None)


@dataclass
class Fields:
    """Builds one row, keeping every problem instead of stopping at the first."""

    file: str
    line: str
    values: Values = field(default_factory=dict)
    problems: list[Reject] = field(default_factory=list)

    def put(self, column: str, value: object, parse: Callable[[object], object]) -> None:
        try:
            self.values[column] = parse(value)
        except ValueProblem as exc:
            self.problems.append(Reject(self.file, self.line, column, shown(value), exc.reason))

    def problem(self, column: str, value: object, reason: str) -> None:
        self.problems.append(Reject(self.file, self.line, column, shown(value), reason))


def _id_of(value: object) -> object:
    """An id, or the id of an expanded object."""
    return value.get("id") if isinstance(value, Mapping) else value


def _metadata(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueProblem(f"a {type(value).__name__}, not an object")
    return compact_json(value)


def _customer(obj: Mapping[str, Any], out: Fields) -> None:
    for column in ("email", "name", "currency"):
        out.put(column, obj.get(column), json_text)
    out.put("created", obj.get("created"), parse_epoch)
    address = obj.get("address")
    if address is not None and not isinstance(address, Mapping):
        out.problem("address_country", address, "address is not an object")
    else:
        out.put("address_country", (address or {}).get("country"), json_text)
    out.put("deleted", obj.get("deleted", False), json_bool)
    out.put("metadata", obj.get("metadata"), _metadata)


def _item(item: object) -> dict[str, object]:
    if not isinstance(item, Mapping):
        raise ValueProblem("an item is not an object")
    price = item.get("price")
    price_id = _id_of(price) if price is not None else _id_of(item.get("plan"))
    return {
        "id": json_text(item.get("id")),
        "price": json_text(price_id),
        "quantity": json_int(item.get("quantity")),
    }


def _items(value: object) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    data = value.get("data") if isinstance(value, Mapping) else value
    if not isinstance(data, list):
        raise ValueProblem("items is neither a list object nor an array")
    return data


def _subscription(obj: Mapping[str, Any], out: Fields) -> None:
    out.put("customer", _id_of(obj.get("customer")), json_text)
    out.put("status", obj.get("status"), json_text)
    out.put("currency", obj.get("currency"), json_text)
    for column in ("created", "start_date", "canceled_at", "ended_at", "trial_start", "trial_end"):
        out.put(column, obj.get(column), parse_epoch)
    out.put("cancel_at_period_end", obj.get("cancel_at_period_end"), json_bool)
    try:
        items = _items(obj.get("items"))
        out.values["items"] = compact_json([_item(i) for i in items])
    except ValueProblem as exc:
        out.problem("items", obj.get("items"), exc.reason)
        items = []
    for column, pick in (("current_period_start", min), ("current_period_end", max)):
        value = obj.get(column)
        if value is None:  # newer API versions: on the items
            found = [i.get(column) for i in items if isinstance(i, Mapping)]
            numbers = [v for v in found if isinstance(v, int) and not isinstance(v, bool)]
            value = pick(numbers) if numbers else None
        out.put(column, value, parse_epoch)


def _product(obj: Mapping[str, Any], out: Fields) -> None:
    out.put("name", obj.get("name"), json_text)
    out.put("active", obj.get("active"), json_bool)
    out.put("metadata", obj.get("metadata"), _metadata)


def _price(obj: Mapping[str, Any], out: Fields) -> None:
    out.put("product", _id_of(obj.get("product")), json_text)
    out.put("currency", obj.get("currency"), json_text)
    out.put("unit_amount", obj.get("unit_amount"), json_int)
    recurring = obj.get("recurring")
    if recurring is not None and not isinstance(recurring, Mapping):
        out.problem("recurring_interval", recurring, "recurring is not an object")
        recurring = None
    out.put("recurring_interval", (recurring or {}).get("interval"), json_text)
    out.put("recurring_interval_count", (recurring or {}).get("interval_count"), json_int)
    out.put("active", obj.get("active"), json_bool)


def _invoice(obj: Mapping[str, Any], out: Fields) -> None:
    out.put("customer", _id_of(obj.get("customer")), json_text)
    subscription = obj.get("subscription")
    if subscription is None:  # newer API versions
        parent = obj.get("parent")
        details = parent.get("subscription_details") if isinstance(parent, Mapping) else None
        subscription = details.get("subscription") if isinstance(details, Mapping) else None
    out.put("subscription", _id_of(subscription), json_text)
    for column in ("status", "currency"):
        out.put(column, obj.get(column), json_text)
    for column in ("amount_due", "amount_paid", "total"):
        out.put(column, obj.get(column), json_int)
    for column in ("period_start", "period_end", "created"):
        out.put(column, obj.get(column), parse_epoch)


MAPPERS: dict[str, Callable[[Mapping[str, Any], Fields], None]] = {
    "customer": _customer,
    "subscription": _subscription,
    "product": _product,
    "price": _price,
    "invoice": _invoice,
}


def flatten(name: str, obj: Mapping[str, Any], file: str, line: str) -> Fields:
    """One API object's row (``name``: customer, subscription, ...) and its problems."""
    out = Fields(file, line)
    out.put("id", obj.get("id"), json_text)
    MAPPERS[name](obj, out)
    return out


@dataclass(frozen=True)
class Item:
    """One object of a JSON input and where it was (``data[3]``, ``[3]`` or a line)."""

    where: str
    value: object


@dataclass(frozen=True)
class Document:
    items: list[Item]
    url_object: str | None  # what an (empty) list page holds, from its url


def parse_document(text: str) -> Document:
    """A list page, an array or NDJSON; raises ValueError when it is none of them."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
        return Document(list(_ndjson(text)), None)
    if isinstance(whole, list):
        return Document([Item(f"[{i}]", v) for i, v in enumerate(whole)], None)
    if isinstance(whole, dict) and isinstance(whole.get("data"), list):
        url = whole.get("url")
        url_object = (
            _URL_OBJECTS.get(url.split("?")[0].rstrip("/")) if isinstance(url, str) else None
        )
        return Document([Item(f"data[{i}]", v) for i, v in enumerate(whole["data"])], url_object)
    if isinstance(whole, dict):
        return Document([Item("1", whole)], None)
    raise ValueError(f"a JSON {type(whole).__name__}, not a list page, an array or objects")


def _ndjson(text: str) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield Item(str(number), json.loads(line))
        except json.JSONDecodeError as exc:
            yield Item(str(number), ValueError(f"not JSON: {exc.msg} at column {exc.colno}"))


def tables_of(names: Sequence[str]) -> list[spec.Table]:
    return [spec.table(OBJECTS[n]) for n in names]
