"""c360 collect: the spool, the HTTP API and the flush, without a server process."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from starlette.testclient import TestClient

from c360 import landing
from c360.cli import main
from c360.collect import flush as flushing
from c360.collect import spool
from c360.collect.app import BATCH_LIMIT, MESSAGE_LIMIT, create_app
from c360.collect.cli import write_keys
from c360.collect.collector import Collector, CollectSettings
from c360.progress import Progress

KEY = "test-write-key"
NOW = dt.datetime(2026, 12, 7, 10, 11, 12, 345000, tzinfo=dt.UTC)


def _auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def _track(n: int, **extra: Any) -> dict[str, Any]:
    return {"type": "track", "event": "Report Created", "userId": f"u{n}", **extra}


def _landed(raw: Path) -> list[dict[str, Any]]:
    folder = raw / "events" / "messages"
    if not folder.is_dir():
        return []
    rows: list[dict[str, Any]] = (
        ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()
    )
    return rows


def _settings(tmp_path: Path, **overrides: Any) -> CollectSettings:
    values: dict[str, Any] = {
        "raw_dir": tmp_path / "raw",
        "spool_dir": tmp_path / "raw" / ".c360-collect" / "spool",
        "write_keys": frozenset({KEY}),
        "flush_seconds": 3600.0,
        "flush_messages": 1_000_000,
        "max_parts": 100,
    }
    values.update(overrides)
    return CollectSettings(**values)


class Clock:
    """The collector's clock, moved by the test."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def collector(tmp_path: Path) -> Collector:
    found = Collector(_settings(tmp_path), Progress("collect", quiet=True))
    found.open()
    return found


@pytest.fixture
def client(collector: Collector, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(collector, frozenset({KEY}), clock=clock)) as http:
        yield http


# -- the spool ------------------------------------------------------------------------


def _write_segment(path: Path, payloads: list[bytes], tail: bytes = b"") -> None:
    path.write_bytes(spool.MAGIC + b"".join(spool.frame(p) for p in payloads) + tail)


def test_a_segment_holds_framed_records_and_reads_back(tmp_path: Path) -> None:
    payloads = [spool.encode({"n": n, "text": "é" * n}) for n in range(5)]
    path = spool.segment_path(tmp_path, 7)
    _write_segment(path, payloads)
    found = spool.scan_segment(path)
    assert found.records == payloads and not found.torn
    assert spool.segment_seq(path) == 7 and spool.list_segments(tmp_path) == [path]
    raw = path.read_bytes()
    length = int.from_bytes(raw[8:12], "little")
    assert length == len(payloads[0]), "each record starts with its payload's length"


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(b"\x10\x00", id="half a header"),
        pytest.param(b"\x40\x00\x00\x00\x01\x02\x03\x04{", id="a short payload"),
        pytest.param(b"\x00" * 4096, id="zeros the file system left"),
        pytest.param("crc", id="a full record with a bad CRC"),
    ],
)
def test_recovery_cuts_a_torn_tail_and_keeps_every_intact_record(
    tmp_path: Path, tail: bytes | str
) -> None:
    good = [spool.encode({"n": n}) for n in range(3)]
    if tail == "crc":
        framed = bytearray(spool.frame(spool.encode({"n": 99})))
        framed[-1] ^= 0xFF
        tail = bytes(framed)
    assert isinstance(tail, bytes)
    path = spool.segment_path(tmp_path, 1)
    _write_segment(path, good, tail)
    intact = len(spool.MAGIC) + sum(len(spool.frame(p)) for p in good)

    found = spool.recover(tmp_path)

    assert found.records == 3 and found.segments == [path] and found.next_seq == 2
    assert found.truncated == [(path, len(tail))]
    assert path.stat().st_size == intact
    assert spool.read_sealed(path) == good


def test_recovery_removes_segments_with_no_record(tmp_path: Path) -> None:
    (tmp_path / "segment-000000000003.spool").write_bytes(spool.MAGIC[:5])
    (tmp_path / "segment-000000000004.spool").write_bytes(spool.MAGIC)
    found = spool.recover(tmp_path)
    assert found.segments == [] and found.records == 0 and found.next_seq == 5
    assert spool.list_segments(tmp_path) == []


def test_a_sealed_segment_with_damage_is_refused_not_half_read(tmp_path: Path) -> None:
    path = spool.segment_path(tmp_path, 1)
    _write_segment(path, [spool.encode({"n": 1})], b"\x01\x00\x00\x00\x00\x00\x00\x00x")
    with pytest.raises(spool.SpoolCorrupt, match=r"segment-000000000001.spool: bad record at byte"):
        spool.read_sealed(path)
    (tmp_path / "segment-000000000002.spool").write_bytes(b"PK\x03\x04 not ours")
    with pytest.raises(spool.SpoolCorrupt, match="not a c360 spool segment"):
        spool.scan_segment(tmp_path / "segment-000000000002.spool")


def test_two_collectors_never_share_a_spool(tmp_path: Path) -> None:
    first = spool.SpoolLock(tmp_path)
    first.acquire()
    with pytest.raises(
        spool.SpoolBusy, match=rf"used by another c360 collect \(pid {os.getpid()}\)"
    ):
        spool.SpoolLock(tmp_path).acquire()
    assert spool.SpoolBusy.exit_code == 4
    first.release()
    spool.SpoolLock(tmp_path).acquire()


def test_concurrent_appends_share_fsyncs_and_all_land_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncs: list[int] = []
    real = os.fdatasync

    def counting(fd: int) -> None:
        syncs.append(fd)
        real(fd)

    monkeypatch.setattr(spool.os, "fdatasync", counting)

    async def scenario() -> spool.SpoolWriter:
        writer = spool.SpoolWriter(tmp_path, 1)
        writer.open()
        syncs.clear()
        await asyncio.gather(
            *(
                writer.append([spool.encode({"request": r, "n": n}) for n in range(3)])
                for r in range(50)
            )
        )
        await writer.close()
        return writer

    writer = asyncio.run(scenario())
    records = spool.read_sealed(spool.segment_path(tmp_path, 1))
    assert len(records) == 150 and writer.active_records == 150
    assert {json.loads(r)["request"] for r in records} == set(range(50))
    assert 1 <= len(syncs) < 50, f"{len(syncs)} fsyncs for 50 concurrent requests"


def test_a_failed_fsync_is_never_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    async def scenario() -> None:
        writer = spool.SpoolWriter(tmp_path, 1)
        writer.open()
        monkeypatch.setattr(spool.os, "fdatasync", broken)
        with pytest.raises(spool.SpoolFailed, match="Input/output error"):
            await writer.append([spool.encode({"n": 1})])
        with pytest.raises(spool.SpoolFailed, match="failed earlier"):
            await writer.append([spool.encode({"n": 2})])

    asyncio.run(scenario())


# -- the HTTP API ---------------------------------------------------------------------


def test_a_wrong_or_missing_write_key_is_401(client: TestClient) -> None:
    for headers in ({}, _auth("nope"), {"Authorization": "Bearer x"}):
        answer = client.post("/v1/track", json=_track(1), headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["code"] == "unauthorized"
        assert answer.headers["www-authenticate"].startswith("Basic")
    assert client.get("/health").json()["accepted"] == 0


def test_the_write_key_in_the_body_as_analytics_js_sends_it(client: TestClient) -> None:
    answer = client.post(
        "/v1/t", content=json.dumps(_track(1, writeKey=KEY)), headers={"Content-Type": "text/plain"}
    )
    assert answer.status_code == 200, answer.text
    batch = {"batch": [_track(2, writeKey=KEY), _track(3, writeKey="other")]}
    assert client.post("/v1/b", json=batch).status_code == 401


def test_gzip_bodies_are_read(client: TestClient, collector: Collector) -> None:
    body = gzip.compress(json.dumps({"batch": [_track(n) for n in range(3)]}).encode())
    answer = client.post("/v1/batch", content=body, headers={**_auth(), "Content-Encoding": "gzip"})
    assert answer.status_code == 200, answer.text
    assert collector.counters.accepted == 3
    broken = client.post(
        "/v1/batch", content=body[:-8], headers={**_auth(), "Content-Encoding": "gzip"}
    )
    assert broken.status_code == 400 and "gzip" in broken.json()["message"]
    other = client.post("/v1/batch", content=b"x", headers={**_auth(), "Content-Encoding": "br"})
    assert other.status_code == 415


def test_size_limits_are_400_with_a_reason(client: TestClient, collector: Collector) -> None:
    big = _track(1, properties={"blob": "x" * MESSAGE_LIMIT})
    answer = client.post("/v1/track", json=big, headers=_auth())
    assert answer.status_code == 400
    assert "over the limit of 32 KB a message" in answer.json()["message"]
    in_batch = client.post("/v1/batch", json={"batch": [_track(0), big]}, headers=_auth())
    assert in_batch.status_code == 400 and in_batch.json()["message"].startswith("batch[1]")
    many = {"batch": [_track(n, properties={"p": "y" * 20_000}) for n in range(30)]}
    too_big = client.post("/v1/batch", json=many, headers=_auth())
    assert too_big.status_code == 400
    assert "500 KB a request" in too_big.json()["message"]
    # A small gzip body that inflates past the limit is refused too, without inflating it all.
    bomb = gzip.compress(json.dumps({"batch": [], "pad": " " * (BATCH_LIMIT * 4)}).encode())
    assert len(bomb) < 10_000
    inflated = client.post(
        "/v1/batch", content=bomb, headers={**_auth(), "Content-Encoding": "gzip"}
    )
    assert inflated.status_code == 400 and "500 KB" in inflated.json()["message"]
    assert collector.counters.accepted == 0


def test_invalid_json_and_shapes_are_400(client: TestClient) -> None:
    bad = client.post("/v1/batch", content=b'{"batch": [', headers=_auth())
    assert bad.status_code == 400
    assert bad.json()["message"].startswith("invalid JSON at line 1 column")
    assert "\n" not in bad.json()["message"]
    not_list = client.post("/v1/batch", json={"batch": {}}, headers=_auth())
    assert not_list.status_code == 400 and "batch: must be a JSON array" in not_list.text
    wrong_type = client.post("/v1/track", json={**_track(1), "type": "page"}, headers=_auth())
    assert wrong_type.status_code == 400 and "posted to the track endpoint" in wrong_type.text
    invalid = client.post("/v1/track", json={"userId": "u1"}, headers=_auth())
    assert invalid.status_code == 400
    assert invalid.json()["message"] == "event: a track call needs an event name"


def test_receivedAt_and_messageId_are_set_and_batch_context_merged(
    collector: Collector, clock: Clock, tmp_path: Path
) -> None:
    batch = {
        "batch": [
            _track(1, messageId="kept-1", context={"locale": "de-DE"}),
            {"type": "identify", "userId": "u2", "traits": {"email": "u2@example.com"}},
        ],
        "context": {"library": {"name": "analytics-python"}, "locale": "en-US"},
        "sentAt": "2026-12-07T10:11:10.000Z",
    }
    page = {"name": "Home", "anonymousId": "a3", "receivedAt": "2020-01-01T00:00:00Z"}
    with TestClient(create_app(collector, frozenset({KEY}), clock=clock)) as client:
        assert client.post("/v1/batch", json=batch, headers=_auth()).status_code == 200
        assert client.post("/v1/page", json=page, headers=_auth()).status_code == 200
    # leaving the block ran the lifespan's last flush

    rows = {r["userId"] or r["anonymousId"]: r for r in _landed(tmp_path / "raw")}
    assert rows["u1"]["messageId"] == "kept-1"
    assert len(rows["u2"]["messageId"]) == 36, "a uuid4 was issued"
    assert {r["receivedAt"] for r in rows.values()} == {"2026-12-07T10:11:12.345Z"}
    assert json.loads(rows["u1"]["context"]) == {
        "library": {"name": "analytics-python"},
        "locale": "de-DE",
        "ip": "testclient",
    }
    assert rows["u2"]["sentAt"] == "2026-12-07T10:11:10.000Z"
    assert rows["a3"]["type"] == "page" and rows["a3"]["timestamp"] == rows["a3"]["receivedAt"]
    assert json.loads(rows["u2"]["traits"]) == {"email": "u2@example.com"}


def test_a_batch_keeps_its_valid_messages_and_records_every_reject(
    collector: Collector, clock: Clock, tmp_path: Path
) -> None:
    batch = {"batch": [_track(0), {"type": "track", "userId": "u1"}, _track(2), "nonsense"]}
    with TestClient(create_app(collector, frozenset({KEY}), clock=clock)) as client:
        answer = client.post("/v1/batch", json={**batch, "writeKey": KEY}, headers=_auth())
        assert answer.status_code == 200
        assert answer.json()["accepted"] == 2
        assert [(r["index"], r["field"]) for r in answer.json()["rejected"]] == [
            (1, "event"),
            (3, "message"),
        ]
        all_bad = client.post("/v1/batch", json={"batch": [{"type": "nope"}]}, headers=_auth())
        assert all_bad.status_code == 400
        assert all_bad.json()["message"].startswith("no valid message: batch[0].type")
        health = client.get("/health").json()
        assert (health["accepted"], health["rejected"], health["spooled"]) == (2, 2, 4)

    assert sorted(r["userId"] for r in _landed(tmp_path / "raw")) == ["u0", "u2"]
    (kept,) = (collector.settings.spool_dir / flushing.REJECTED_DIR).iterdir()
    rejects = [json.loads(line) for line in kept.read_text().splitlines()]
    assert [(r["index"], r["field"], r["path"]) for r in rejects] == [
        (1, "event", "/v1/batch"),
        (3, "message", "/v1/batch"),
    ]
    assert rejects[0]["message"] == {"type": "track", "userId": "u1"}
    assert rejects[0]["reason"] == "a track call needs an event name"
    assert collector.counters.accepted + collector.counters.rejected == 4
    assert collector.counters.landed == 2


def test_health_reports_the_spool_and_the_last_flush(
    client: TestClient, collector: Collector
) -> None:
    assert client.get("/health").json()["ok"] is True
    client.post("/v1/batch", json={"batch": [_track(n) for n in range(5)]}, headers=_auth())
    assert client.get("/health").json()["spooled"] == 5
    assert client.portal is not None  # the flush runs in the app's own event loop
    assert client.portal.call(collector.flush_now) is True
    health = client.get("/health").json()
    assert (health["spooled"], health["landed"], health["flushes"]) == (0, 5, 1)
    assert health["last_flush"]["days"] == {"2026-12-07": 5}


def test_the_flush_runs_when_the_spool_reaches_flush_messages(tmp_path: Path, clock: Clock) -> None:
    collector = Collector(_settings(tmp_path, flush_messages=10), Progress("collect", quiet=True))
    collector.open()
    with TestClient(create_app(collector, frozenset({KEY}), clock=clock)) as http:
        http.post("/v1/batch", json={"batch": [_track(n) for n in range(12)]}, headers=_auth())
        for _ in range(200):
            if http.get("/health").json()["landed"] == 12:
                break
            asyncio.run(asyncio.sleep(0.01))
        assert http.get("/health").json()["flushes"] == 1


# -- the flush ------------------------------------------------------------------------


def _row(n: int, received: str) -> dict[str, str | None]:
    return {
        "messageId": f"m{n}",
        "type": "track",
        "event": "Report Created",
        "name": None,
        "userId": f"u{n}",
        "anonymousId": None,
        "groupId": None,
        "previousId": None,
        "timestamp": received,
        "sentAt": None,
        "receivedAt": received,
        "context": None,
        "properties": None,
        "traits": None,
    }


def _spooled(spool_dir: Path, seq: int, rows: list[dict[str, str | None]]) -> Path:
    spool_dir.mkdir(parents=True, exist_ok=True)
    path = spool.segment_path(spool_dir, seq)
    _write_segment(path, [spool.encode(r) for r in rows])
    return path


def test_a_flush_lands_each_receive_day_in_its_own_partition(tmp_path: Path) -> None:
    raw, spool_dir = tmp_path / "raw", tmp_path / "spool"
    first = _spooled(
        spool_dir, 1, [_row(1, "2026-12-06T23:59:59.999Z"), _row(2, "2026-12-07T00:00:00.000Z")]
    )
    second = _spooled(spool_dir, 2, [_row(3, "2026-12-07T08:00:00+01:00")])

    done = flushing.flush(raw, spool_dir, [first, second], max_parts=None)

    assert (done.rows, done.segments) == (3, 2)
    assert [(p.day.isoformat(), p.rows_added) for p in done.partitions] == [
        ("2026-12-06", 1),
        ("2026-12-07", 2),
    ]
    parts = {str(p.extract_date): p for p in landing.scan(raw)}
    assert {d: (p.status, p.manifest_row_count) for d, p in parts.items()} == {
        "2026-12-06": (landing.COMPLETE, 1),
        "2026-12-07": (landing.COMPLETE, 2),
    }
    assert not first.exists() and not second.exists(), "landed segments are deleted"
    assert flushing.Ledger(spool_dir).read()["state"] == "idle"
    again = flushing.flush(
        raw, spool_dir, [_spooled(spool_dir, 3, [_row(4, "2026-12-07T09:00:00Z")])], max_parts=None
    )
    assert again.partitions[0].row_count == 3 and again.partitions[0].parts == 2


def test_a_flush_a_crash_interrupted_lands_every_message_exactly_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, spool_dir = tmp_path / "raw", tmp_path / "spool"
    rows = [_row(n, f"2026-12-0{5 + n % 3}T12:00:00Z") for n in range(9)]
    segment = _spooled(spool_dir, 1, rows)
    real = flushing.write_partition
    calls: list[dt.date] = []

    def crash_on_the_second_day(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2])
        if len(calls) == 2:
            raise KeyboardInterrupt("kill -9 between two days")  # nothing after this runs
        return real(*args, **kwargs)

    monkeypatch.setattr(flushing, "write_partition", crash_on_the_second_day)
    with pytest.raises(KeyboardInterrupt):
        flushing.flush(raw, spool_dir, [segment], max_parts=None)
    monkeypatch.setattr(flushing, "write_partition", real)
    assert flushing.Ledger(spool_dir).read()["state"] == "landing" and segment.exists()
    assert len(_landed(raw)) == 3, "the first day landed before the crash"

    done = flushing.resolve(raw, spool_dir, max_parts=None)

    assert done.recovered
    assert [(p.day.day, p.skipped, p.rows_added) for p in done.partitions] == [
        (5, True, 0),
        (6, False, 3),
        (7, False, 3),
    ]
    landed = sorted(r["messageId"] for r in _landed(raw))
    assert landed == sorted(r["messageId"] for r in rows), "each message once"
    assert not segment.exists() and flushing.Ledger(spool_dir).read()["state"] == "idle"


def test_a_crash_after_landing_only_finishes_the_deletions(tmp_path: Path) -> None:
    raw, spool_dir = tmp_path / "raw", tmp_path / "spool"
    segment = _spooled(spool_dir, 1, [_row(1, "2026-12-07T12:00:00Z")])
    flushing.flush(raw, spool_dir, [segment], max_parts=None)
    _spooled(spool_dir, 1, [_row(1, "2026-12-07T12:00:00Z")])  # as if the unlink never ran
    flushing.Ledger(spool_dir).write(state="landed", segments=[segment.name])

    done = flushing.flush(raw, spool_dir, [segment], max_parts=None)

    assert done.recovered and done.rows == 0
    assert [r["messageId"] for r in _landed(raw)] == ["m1"]
    assert not segment.exists()


def test_a_collector_restarted_after_a_crash_lands_what_it_had_acknowledged(
    tmp_path: Path, clock: Clock
) -> None:
    settings = _settings(tmp_path)
    first = Collector(settings, Progress("collect", quiet=True))
    first.open()
    acknowledged = [spool.encode(_row(n, "2026-12-07T12:00:00Z")) for n in range(4)]
    asyncio.run(first.accept(acknowledged, rows=4, rejected=0))
    # kill -9 here: no stop, no flush; the kernel drops the lock with the process.
    first._lock.release()
    with spool.segment_path(settings.spool_dir, 1).open("ab") as handle:
        handle.write(b"\x99\x00\x00\x00torn")  # a write the crash interrupted

    second = Collector(settings, Progress("collect", quiet=True))
    second.open()
    assert second.counters.spooled == 4
    with TestClient(create_app(second, settings.write_keys, clock=clock)) as http:
        assert http.post("/v1/track", json=_track(9), headers=_auth()).status_code == 200
    landed = sorted(r["userId"] for r in _landed(settings.raw_dir))
    assert landed == ["u0", "u1", "u2", "u3", "u9"]
    assert spool.list_segments(settings.spool_dir) == []


# -- the command line -----------------------------------------------------------------


def test_no_write_key_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("C360_WRITE_KEYS", raising=False)
    monkeypatch.setenv("C360_RAW_DIR", str(tmp_path))
    assert main(["collect", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no write key" in err
    assert write_keys([], {"C360_WRITE_KEYS": " a, b ,,"}) == frozenset({"a", "b"})
    assert write_keys(["k"], {"C360_WRITE_KEYS": "a"}) == frozenset({"k"})
