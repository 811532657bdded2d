"""One Segment/RudderStack message, as an SDK sends it or an archive keeps it,
to one row of ``events/messages`` (docs/landing-contract.md).

The collector and the archive importers both land messages through
``normalise``, so a message reaches the warehouse the same way whichever
road it took. What it does, as the hosted pipelines do:

- ``messageId`` is kept, or a new one issued; ``receivedAt`` is the time the
  caller gives (the collector's clock, or an archive's own ``receivedAt``).
- a batch's ``context`` is merged under each message's (the message wins,
  key by key) and its ``sentAt`` applies to messages that have none.
- ``timestamp`` is the device's clock: an archive's ``originalTimestamp``
  when it has one (there ``timestamp`` is already corrected for clock skew,
  and staging corrects it again from ``sentAt``), else ``timestamp``, else
  ``receivedAt`` (a message that carried no time happened when it arrived).
- ids the SDKs send as numbers become text; ``context.ip`` is the client's
  address when the message has none.
- an identify call's ``traits`` include ``context.traits``, where RudderStack's
  SDKs put them (``traits`` wins key by key).

Keys the landing contract has no column for (``integrations``, ``channel``,
``version``, ``writeKey``...) are not kept. A message the contract cannot hold
raises ``MessageError`` naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

TYPES = ("identify", "track", "page", "screen", "group", "alias")
COLUMNS = (
    "messageId",
    "type",
    "event",
    "name",
    "userId",
    "anonymousId",
    "groupId",
    "previousId",
    "timestamp",
    "sentAt",
    "receivedAt",
    "context",
    "properties",
    "traits",
)
_ID_FIELDS = ("messageId", "userId", "anonymousId", "groupId", "previousId")
_TIME_FIELDS = ("timestamp", "sentAt", "originalTimestamp")


class MessageError(ValueError):
    """A message the landing contract cannot hold: which field, and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _new_id() -> str:
    return str(uuid.uuid4())


def format_instant(moment: dt.datetime) -> str:
    """ISO-8601 UTC with milliseconds and ``Z``, as Segment writes ``receivedAt``."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_instant(text: str) -> dt.datetime | None:
    """An ISO-8601 date-time with ``Z`` or an offset, as UTC; None when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(dt.UTC)


def _id(message: Mapping[str, Any], field: str) -> str | None:
    value = message.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MessageError(field, f"must be a string, not {type(value).__name__}")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def _time(message: Mapping[str, Any], field: str) -> str | None:
    value = message.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or parse_instant(value) is None:
        raise MessageError(field, f"not an ISO-8601 time with a zone: {value!r}")
    return value


def _object(message: Mapping[str, Any], field: str) -> dict[str, Any] | None:
    value = message.get(field)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MessageError(field, f"must be a JSON object, not {type(value).__name__}")
    return value


def _json(value: Mapping[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _text(message: Mapping[str, Any], field: str) -> str | None:
    value = message.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MessageError(field, f"must be a string, not {type(value).__name__}")
    return value


def _identify_traits(
    context: Mapping[str, Any], traits: dict[str, Any] | None
) -> dict[str, Any] | None:
    """An identify call's person traits: RudderStack's SDKs send them as ``context.traits``
    only, Segment's as ``traits`` (where both are there, ``traits`` wins key by key)."""
    nested = context.get("traits")
    if nested is None:
        return traits
    if not isinstance(nested, dict):
        raise MessageError("context.traits", f"must be a JSON object, not {type(nested).__name__}")
    return {**nested, **(traits or {})} or traits


def normalise(
    message: Mapping[str, Any],
    *,
    received_at: dt.datetime,
    batch: Mapping[str, Any] | None = None,
    client_ip: str | None = None,
    new_id: Callable[[], str] = _new_id,
) -> dict[str, str | None]:
    """The landing row of one message; raises MessageError (see the module doc)."""
    if not isinstance(message, Mapping):
        raise MessageError("message", f"must be a JSON object, not {type(message).__name__}")
    kind = message.get("type")
    if not isinstance(kind, str) or kind.lower() not in TYPES:
        raise MessageError("type", f"must be one of {', '.join(TYPES)}, not {kind!r}")
    kind = kind.lower()
    ids = {field: _id(message, field) for field in _ID_FIELDS}
    if ids["userId"] is None and ids["anonymousId"] is None:
        raise MessageError("userId", "a message needs a userId or an anonymousId")
    event = _text(message, "event")
    if kind == "track" and not event:
        raise MessageError("event", "a track call needs an event name")
    if kind == "alias" and ids["previousId"] is None:
        raise MessageError("previousId", "an alias call needs a previousId")
    if kind == "group" and ids["groupId"] is None:
        raise MessageError("groupId", "a group call needs a groupId")
    times = {field: _time(message, field) for field in _TIME_FIELDS}
    batch = batch or {}
    batch_context = _object(batch, "context") or {}
    context = {**batch_context, **(_object(message, "context") or {})}
    if client_ip and "ip" not in context:
        context["ip"] = client_ip
    objects = {field: _object(message, field) for field in ("properties", "traits")}
    if kind == "identify":
        objects["traits"] = _identify_traits(context, objects["traits"])
    received = format_instant(received_at)
    try:
        encoded = {field: _json(value) for field, value in objects.items()}
        context_text = _json(context) if context else None
    except ValueError as exc:  # NaN or infinity: not JSON
        raise MessageError("properties", f"not JSON: {exc}") from None
    return {
        "messageId": ids["messageId"] or new_id(),
        "type": kind,
        "event": event,
        "name": _text(message, "name"),
        "userId": ids["userId"],
        "anonymousId": ids["anonymousId"],
        "groupId": ids["groupId"],
        "previousId": ids["previousId"],
        "timestamp": times["originalTimestamp"] or times["timestamp"] or received,
        "sentAt": times["sentAt"] or _time(batch, "sentAt"),
        "receivedAt": received,
        "context": context_text,
        "properties": encoded["properties"],
        "traits": encoded["traits"],
    }


def received_day(row: Mapping[str, str | None]) -> dt.date:
    """The UTC day of a row's ``receivedAt``: the ``extract_date`` it lands in."""
    text = row.get("receivedAt")
    moment = parse_instant(text) if text else None
    if moment is None:
        raise MessageError("receivedAt", f"not an ISO-8601 time with a zone: {text!r}")
    return moment.date()
