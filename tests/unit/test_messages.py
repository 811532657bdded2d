"""c360.messages: one Segment/RudderStack message to one events/messages row."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from c360 import spec
from c360.messages import MessageError, normalise, received_day

NOW = dt.datetime(2026, 3, 4, 23, 59, 59, 123456, tzinfo=dt.UTC)


def test_row_has_exactly_the_contract_columns_and_fills_ids() -> None:
    row = normalise(
        {"type": "track", "event": "Report Created", "userId": 42, "properties": {"n": 1}},
        received_at=NOW,
        new_id=lambda: "fixed-id",
    )
    assert tuple(row) == spec.table("events/messages").column_names
    assert row["messageId"] == "fixed-id"
    assert row["userId"] == "42"
    assert row["receivedAt"] == "2026-03-04T23:59:59.123Z"
    assert row["timestamp"] == row["receivedAt"], "no time sent: it happened when it arrived"
    assert json.loads(row["properties"] or "") == {"n": 1}


def test_batch_context_and_sent_at_apply_under_the_message() -> None:
    batch = {
        "context": {"library": {"name": "x"}, "locale": "en"},
        "sentAt": "2026-03-04T10:00:00Z",
    }
    row = normalise(
        {
            "type": "page",
            "anonymousId": "a1",
            "name": "Home",
            "context": {"locale": "fr"},
            "timestamp": "2026-03-04T09:59:00+01:00",
        },
        received_at=NOW,
        batch=batch,
        client_ip="10.0.0.9",
    )
    assert json.loads(row["context"] or "") == {
        "library": {"name": "x"},
        "locale": "fr",
        "ip": "10.0.0.9",
    }
    assert row["sentAt"] == "2026-03-04T10:00:00Z"
    assert row["timestamp"] == "2026-03-04T09:59:00+01:00", "device clock text kept as sent"


def test_an_archive_original_timestamp_is_the_device_clock() -> None:
    row = normalise(
        {
            "type": "identify",
            "userId": "u",
            "timestamp": "2026-03-04T10:00:05Z",
            "originalTimestamp": "2026-03-04T10:00:00Z",
            "traits": {"email": "a@b.co"},
        },
        received_at=NOW,
    )
    assert row["timestamp"] == "2026-03-04T10:00:00Z"


def test_identify_traits_sent_in_context_as_rudderstack_does_are_the_traits() -> None:
    rudder = {"type": "identify", "userId": "u", "context": {"traits": {"email": "a@b.co"}}}
    both = {**rudder, "traits": {"email": "c@d.co", "name": "C"}}
    track = {"type": "track", "event": "e", "userId": "u", "context": {"traits": {"x": 1}}}
    assert json.loads(normalise(rudder, received_at=NOW)["traits"] or "") == {"email": "a@b.co"}
    assert json.loads(normalise(both, received_at=NOW)["traits"] or "") == {
        "email": "c@d.co",
        "name": "C",
    }
    assert normalise(track, received_at=NOW)["traits"] is None  # only identify calls
    with pytest.raises(MessageError, match=r"context\.traits"):
        normalise({**rudder, "context": {"traits": "a"}}, received_at=NOW)


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "click", "userId": "u"}, "type"),
        ({"event": "x", "userId": "u"}, "type"),
        ({"type": "track", "userId": "u"}, "event"),
        ({"type": "track", "event": "x"}, "userId"),
        ({"type": "alias", "userId": "u"}, "previousId"),
        ({"type": "group", "userId": "u"}, "groupId"),
        ({"type": "identify", "userId": "u", "traits": ["a"]}, "traits"),
        ({"type": "identify", "userId": "u", "timestamp": "yesterday"}, "timestamp"),
        ({"type": "identify", "userId": "u", "timestamp": "2026-03-04T10:00:00"}, "timestamp"),
        ({"type": "identify", "userId": {"id": 1}}, "userId"),
        (
            {"type": "track", "event": "x", "userId": "u", "properties": {"v": float("nan")}},
            "properties",
        ),
    ],
)
def test_messages_the_contract_cannot_hold_name_their_field(
    message: dict[str, object], field: str
) -> None:
    with pytest.raises(MessageError) as info:
        normalise(message, received_at=NOW)
    assert info.value.field == field


def test_received_day_is_the_utc_day() -> None:
    assert received_day({"receivedAt": "2026-03-05T00:30:00+02:00"}) == dt.date(2026, 3, 4)
    with pytest.raises(MessageError):
        received_day({"receivedAt": None})
