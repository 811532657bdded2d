"""The real SDKs against ``c360 collect``, and what they sent in the marts after a refresh.

``segment-analytics-python`` (``segment.analytics``: ``write_key``, ``host``;
``sync_mode``: one ``/v1/batch`` request a call, answered before the call
returns) and ``rudder-sdk-python`` (``rudderstack.analytics``: ``write_key``,
``dataPlaneUrl``; its background consumer batching and gzipping, then
``flush()``) send identify, group, track, page and alias calls to a collector
landing into a COPY of the run's shared tiny build (``published_tiny``).
SIGTERM lands them and exits 0; one ``c360 refresh`` of the copy follows, and
each SDK's person (with the company its group call named), company (named by
the group traits) and track/page events are in the marts.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pytest
import rudderstack.analytics as rudder_analytics
import segment.analytics as segment_analytics

from collect_helpers import collect_env, free_port, start_collector
from shared_builds import C360, Published, copy_published

pytestmark = pytest.mark.slow

KEY = "sdk-test-write-key"
SDKS = ("segment", "rudderstack")


def ids(sdk: str) -> dict[str, str]:
    """The ids one SDK's calls use: new to tiny, so whatever the marts show came from here."""
    return {
        "user": f"sdk-{sdk}-user-1",
        "anonymous": f"sdk-{sdk}-anon-1",
        "account": f"sdk-{sdk}-account-1",
        "company": f"{sdk.capitalize()} SDK Test Company",
        "email": f"person@{sdk}-sdk.example.com",
    }


def send(module: Any, sdk: str) -> list[str]:
    """identify, group, track, page (one before login), alias; returns the messageIds."""
    i = ids(sdk)
    sent = [f"{sdk}-{n}" for n in range(6)]
    module.page(
        anonymous_id=i["anonymous"],
        name="Pricing",
        properties={"path": "/pricing"},
        message_id=sent[0],
    )
    module.identify(
        i["user"],
        {"email": i["email"], "name": f"{sdk} person", "title": "Analyst"},
        anonymous_id=i["anonymous"],
        message_id=sent[1],
    )
    module.group(
        i["user"],
        i["account"],
        {"name": i["company"], "plan": "growth", "employees": 42},
        message_id=sent[2],
    )
    module.track(i["user"], "Report Created", {"report_id": 7}, message_id=sent[3])
    module.page(i["user"], name="Reports", properties={"path": "/reports"}, message_id=sent[4])
    module.alias(i["anonymous"], i["user"], message_id=sent[5])
    return sent


@dataclass(frozen=True)
class Collected:
    site: Published
    sent: dict[str, list[str]]
    errors: list[str]
    exit_code: int
    collector_output: str
    landed: list[dict[str, Any]]
    refresh: subprocess.CompletedProcess[str]

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.site.analytics), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()


def _configure(module: Any, on_error: Callable[..., None], **settings: object) -> None:
    module.default_client = None
    module.on_error = on_error
    module.max_retries = 0
    for name, value in settings.items():
        setattr(module, name, value)


@pytest.fixture(scope="module")
def collected(
    tmp_path_factory: pytest.TempPathFactory, published_tiny: Published
) -> Iterator[Collected]:
    site = copy_published(published_tiny, tmp_path_factory.mktemp("collect_sdk") / "site")
    log = site.root / "collect.log"
    collector = start_collector(
        site.raw, free_port(), KEY, log, "--flush-seconds", "3600", env=collect_env(site.raw)
    )
    errors: list[str] = []

    def on_error(error: Exception, items: list[Any]) -> None:
        errors.append(f"{error!r} ({len(items)} message(s))")

    saved = {
        m: {n: getattr(m, n) for n in ("write_key", "on_error", "sync_mode", "max_retries")}
        for m in (segment_analytics, rudder_analytics)
    }
    sent: dict[str, list[str]] = {}
    try:
        # Segment: the two lines an app changes, and sync_mode for a deterministic test.
        _configure(segment_analytics, on_error, sync_mode=True)
        segment_analytics.write_key = KEY
        segment_analytics.host = collector.url
        sent["segment"] = send(segment_analytics, "segment")
        segment_analytics.flush()
        # RudderStack: its two lines; the background consumer batches and gzips.
        _configure(rudder_analytics, on_error)
        rudder_analytics.write_key = KEY
        rudder_analytics.dataPlaneUrl = collector.url
        sent["rudderstack"] = send(rudder_analytics, "rudderstack")
        rudder_analytics.flush()
        rudder_analytics.shutdown()
    finally:
        code = collector.terminate()
        for module, values in saved.items():
            for name, value in values.items():
                setattr(module, name, value)
            module.default_client = None
    landed = (
        ds.dataset(site.raw / "events" / "messages", format="parquet", partitioning="hive")
        .to_table()
        .to_pylist()
    )
    refresh = subprocess.run(
        [str(C360), "refresh"],
        env=site.env(),
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    yield Collected(site, sent, errors, code, collector.output(), landed, refresh)


def test_both_sdks_are_acknowledged_and_sigterm_lands_everything(collected: Collected) -> None:
    assert collected.errors == []
    assert collected.exit_code == 0, collected.collector_output
    assert "12 message(s) accepted, 0 rejected, 12 landed" in collected.collector_output
    by_id = {r["messageId"]: r for r in collected.landed}
    for sdk, message_ids in collected.sent.items():
        rows = [by_id[m] for m in message_ids]
        assert [r["type"] for r in rows] == ["page", "identify", "group", "track", "page", "alias"]
        library = {json.loads(r["context"])["library"]["name"] for r in rows}
        assert library == {"analytics-python"}, sdk
        assert all(r["receivedAt"] and r["receivedAt"].endswith("Z") for r in rows)
        # RudderStack's SDK sends identify traits as context.traits only: they land as traits.
        assert json.loads(rows[1]["traits"])["email"] == ids(sdk)["email"]
        assert json.loads(rows[2]["traits"])["name"] == ids(sdk)["company"]
        assert rows[5]["previousId"] == ids(sdk)["anonymous"]


def test_the_refresh_of_the_landing_zone_with_the_sdk_partitions_succeeds(
    collected: Collected,
) -> None:
    assert collected.refresh.returncode in (0, 3), collected.refresh.stderr
    assert collected.query(
        "select count(*) from ops.landing_partitions where status <> 'complete'"
        " and partition_path like 'events/messages/%'"
    ) == [(0,)]


@pytest.mark.parametrize("sdk", SDKS)
def test_each_sdks_company_is_in_dim_companies_named_by_its_group_traits(
    collected: Collected, sdk: str
) -> None:
    rows = collected.query(
        "select company_name, plan from marts.dim_companies where app_account_id = ?",
        ids(sdk)["account"],
    )
    assert rows == [(ids(sdk)["company"], "growth")]


@pytest.mark.parametrize("sdk", SDKS)
def test_each_sdks_person_is_in_dim_people_at_its_company(collected: Collected, sdk: str) -> None:
    rows = collected.query(
        "select people.email_hash is not null, companies.app_account_id"
        " from marts.dim_people as people"
        " left join marts.dim_companies as companies using (company_key)"
        " where people.user_id = ?",
        ids(sdk)["user"],
    )
    assert rows == [(True, ids(sdk)["account"])]  # the identify's email, the group's company


@pytest.mark.parametrize("sdk", SDKS)
def test_each_sdks_events_are_in_fct_events_with_their_person_and_company(
    collected: Collected, sdk: str
) -> None:
    person = collected.query(
        "select person_key, company_key from marts.dim_people where user_id = ?", ids(sdk)["user"]
    )
    events = collected.query(
        "select message_id, message_type, event_name, page_name, person_key, company_key"
        " from marts.fct_events where message_id like ? order by message_id",
        f"{sdk}-%",
    )
    found = {e[0]: e[1:4] for e in events}
    sent = collected.sent[sdk]
    assert found[sent[3]] == ("track", "Report Created", None)
    assert found[sent[4]] == ("page", None, "Reports")
    # The page before login (anonymousId only) belongs to the person the identify linked.
    assert found[sent[0]] == ("page", None, "Pricing")
    assert {e[4] for e in events} == {person[0][0]}
    by_id = {e[0]: e for e in events}
    assert by_id[sent[3]][5] == person[0][1] is not None  # the track call, after the group call
