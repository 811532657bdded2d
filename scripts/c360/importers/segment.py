"""Segment and RudderStack object-storage archives to ``events/messages`` rows.

Both write newline-delimited JSON, one message per line as their API
received it, gzipped: Segment under
``segment-logs/<source-id>/<received-day>/<file>.gz`` (received-day: the
UTC day's epoch milliseconds), RudderStack under
``rudder-logs/<source-id>/<date>/<file>.json.gz`` (the date of the upload,
not of the messages). The folders' dates are not trusted: each message lands
in the partition of the UTC day of its own ``receivedAt``, through
``c360.messages.normalise`` with that ``receivedAt``, exactly as the
collector lands one. An archive message's ``timestamp`` is already
corrected for clock skew; normalise lands its ``originalTimestamp`` (the
device's clock) instead, as the contract wants. RudderStack's
``request_ip`` becomes ``context.ip`` when the message has none. A message
without a ``messageId`` gets one derived from its line's text (a UUID5), so
importing the same archive twice gives the same ids and staging keeps one copy.

A line that is not a JSON object, has no ``receivedAt`` or fails
normalise is a reject naming file, line, field and reason.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from c360 import spec
from c360.importers.batches import Mapped
from c360.importers.rejects import Reject, shown
from c360.importers.sources import input_files, lines, shown_path
from c360.messages import MessageError, normalise, parse_instant, received_day

Source = Literal["segment", "rudderstack"]
MESSAGES = spec.table("events/messages")
# the namespace of the ids given to archive messages that carry none
_ID_NAMESPACE = uuid.UUID("6b0c3f4e-3d2a-4c59-9a37-0c360a7c1e19")


def read_archives(
    paths: Sequence[Path], source: Source, on_file: Callable[[str, int, int], None]
) -> Mapped:
    """Every message of every archive file; ``on_file(file, messages, rejected)`` after each."""
    mapped = Mapped()
    for path in input_files(paths):
        name = shown_path(path)
        counts = mapped.counts_of(MESSAGES)
        read0, rejected0 = counts.read, counts.rejected
        for number, text in lines(path):
            if text.strip():
                _one(mapped, source, name, number, text)
        on_file(name, counts.read - read0, counts.rejected - rejected0)
    return mapped


def _one(mapped: Mapped, source: Source, file: str, number: int, text: str) -> None:
    line = str(number)

    def reject(field: str, value: object, reason: str) -> None:
        mapped.reject(MESSAGES, [Reject(file, line, field, shown(value), reason)])

    try:
        message: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        reject("", text, f"not JSON: {exc.msg} at column {exc.colno}")
        return
    if not isinstance(message, dict):
        reject("", text, f"a JSON {type(message).__name__}, not a message object")
        return
    received_text = message.get("receivedAt")
    received = parse_instant(received_text) if isinstance(received_text, str) else None
    if received is None:
        reason = (
            "the archive message has no receivedAt: the day it lands in is unknown"
            if received_text in (None, "")
            else "not an ISO-8601 time with a zone"
        )
        reject("receivedAt", received_text, reason)
        return
    request_ip = message.get("request_ip") if source == "rudderstack" else None
    try:
        row = normalise(
            message,
            received_at=received,
            client_ip=request_ip if isinstance(request_ip, str) else None,
            new_id=lambda: str(uuid.uuid5(_ID_NAMESPACE, text)),
        )
    except MessageError as exc:
        reject(exc.field, message.get(exc.field), exc.reason)
        return
    mapped.add(MESSAGES, received_day(row), "incremental", dict(row), file, line)
