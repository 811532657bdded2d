"""``c360 collect`` under load, and killed under load.

- **Load**: 20,000 messages from 4 concurrent clients (``c360.collect.loadtest``)
  against a running collector; after SIGTERM (exit 0) every acknowledged
  message is in the landing zone exactly once. The figures are printed, not
  asserted: the machine is shared.
- **Crash**: clients keep sending while the collector is ``kill -9``-ed twice
  (with flushes on size running all the while, so a kill can fall inside one)
  and restarted on the same spool and port; after the last run's SIGTERM
  (exit 0) every acknowledged ``messageId`` (a 200 received) has landed
  exactly once, nothing is in the landing zone twice (the clients never send
  a message again after an unanswered request), and the spool is empty.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from c360.collect.flush import LEDGER_NAME
from c360.collect.loadtest import LoadResult, run_load
from c360.collect.spool import list_segments
from collect_helpers import Running, free_port, landed_ids, start_collector

pytestmark = pytest.mark.slow

KEY = "load-test-key"


def test_every_acknowledged_message_of_a_load_lands_exactly_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    collector = start_collector(raw, free_port(), KEY, tmp_path / "collect.log")
    try:
        result = asyncio.run(run_load(collector.url, KEY, 20_000, 4))
    finally:
        code = collector.terminate()
    print(f"\nload, 4 clients: {result.summary()}")
    assert code == 0, collector.output()
    assert result.failed_requests == 0
    assert len(result.acked) == 20_000
    landed = landed_ids(raw)
    assert set(landed) == set(result.acked)
    assert max(landed.values()) == 1
    assert "20,000 message(s) accepted, 0 rejected, 20,000 landed" in collector.output()


def _wait_accepted(collector: Running, count: int, load: threading.Thread) -> None:
    """Until this collector process has acknowledged ``count`` messages (or the load ended)."""
    deadline = time.monotonic() + 60
    while load.is_alive() and collector.health()["accepted"] < count:
        assert time.monotonic() < deadline, "the load made no progress"
        time.sleep(0.02)


def test_kill_9_mid_load_loses_no_acknowledged_message_and_duplicates_none(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw"
    spool = raw / ".c360-collect" / "spool"
    port = free_port()
    log = tmp_path / "collect.log"
    options = ("--flush-messages", "2500", "--flush-seconds", "0.5")
    outcome: dict[str, LoadResult] = {}
    stop = threading.Event()

    def load(url: str) -> None:
        outcome["result"] = asyncio.run(run_load(url, KEY, 40_000, 4, keep_going=True, stop=stop))

    collector = start_collector(raw, port, KEY, log, *options)
    sender = threading.Thread(target=load, args=(collector.url,))
    sender.start()
    ledgers = []
    try:
        for _ in range(2):
            _wait_accepted(collector, 6_000, sender)
            collector.kill()
            ledgers.append((spool / LEDGER_NAME).read_text(encoding="utf-8").strip())
            collector = start_collector(raw, port, KEY, log, *options)
        sender.join(timeout=120)
        assert not sender.is_alive(), "the load did not finish"
    finally:
        stop.set()
        sender.join(timeout=30)
        code = collector.terminate()
    result = outcome["result"]
    landed = landed_ids(raw)
    acked = set(result.acked)
    print(
        f"\ncrash test (kill -9 twice): {result.sent:,} sent, {len(acked):,} acknowledged,"
        f" {result.failed_requests} request(s) unanswered, {sum(landed.values()):,} landed"
        f" ({len(acked - set(landed)):,} acknowledged not landed,"
        f" {sum(1 for v in landed.values() if v > 1)} duplicated); ledgers at the kills: {ledgers}"
    )
    assert code == 0, collector.output()
    assert result.sent == 40_000
    assert len(result.acked) == len(acked)  # no id was acknowledged twice
    assert acked <= set(landed), "an acknowledged message was lost"
    assert max(landed.values()) == 1, "a message landed twice"
    # What landed unacknowledged was spooled by a request whose answer the kill cut.
    assert len(set(landed) - acked) <= result.failed_requests * 100
    assert list_segments(spool) == []
    assert '"state": "idle"' in (spool / LEDGER_NAME).read_text(encoding="utf-8")
