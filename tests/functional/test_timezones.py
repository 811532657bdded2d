"""Company time zones end to end: a hand-made landing zone, one build, then the reporting switch.

Four CRM accounts, each showing one source of the zone precedence:

- A types "Eastern Time (US & Canada)", then moves to "Europe/Berlin" on 2026-03-20: a new
  version, a change-log row, and its earlier events stay on New York's clock;
- B types "TBD" (unparseable: reported, falls through) and bills in "Deutschland": country;
- C types nothing, bills in the multi-zone United States, and its one user's devices say
  Asia/Tokyo on ten days: events (after default UTC until the evidence is complete);
- D types nothing and bills in Nepal: country, Asia/Kathmandu.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land, run_dbt

pytestmark = pytest.mark.slow

ACCOUNT_A = "001000000000000AAA"
ACCOUNT_B = "001000000000000BBB"
ACCOUNT_C = "001000000000000CCC"
ACCOUNT_D = "001000000000000DDD"


def account(
    account_id: str, modstamp: str, zone_text: str | None, country: str, app_id: str
) -> dict[str, Any]:
    return {
        "Id": account_id,
        "Name": f"Company {account_id[-3:]}",
        "Type": "Customer",
        "BillingCountry": country,
        "Time_Zone__c": zone_text,
        "App_Account_Id__c": app_id,
        "CreatedDate": "2026-01-10T09:00:00.000Z",
        "LastModifiedDate": modstamp,
        "SystemModstamp": modstamp,
        "IsDeleted": False,
    }


def message(
    message_id: str,
    kind: str,
    user_id: str,
    at: str,
    *,
    group_id: str | None = None,
    zone: str | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {"timezone": zone} if zone else {}
    return {
        "messageId": message_id,
        "type": kind,
        "event": "Report Created" if kind == "track" else None,
        "userId": user_id,
        "anonymousId": f"anon-{user_id}",
        "groupId": group_id,
        "timestamp": at,
        "receivedAt": at,
        "context": json.dumps(context),
        "properties": "{}",
        "traits": "{}",
    }


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("timezones")
    raw = root / "raw"
    a_old = "2026-01-10T09:00:00.000Z"
    land(
        raw,
        "crm/accounts",
        "2026-01-10",
        [
            account(ACCOUNT_A, a_old, "Eastern Time (US & Canada)", "USA", "ws_a"),
            account(ACCOUNT_B, a_old, "TBD", "Deutschland", "ws_b"),
            account(ACCOUNT_C, a_old, None, "United States", "ws_c"),
            account(ACCOUNT_D, a_old, None, "Nepal", "ws_d"),
        ],
        {},
    )
    land(
        raw,
        "crm/accounts",
        "2026-03-20",
        [account(ACCOUNT_A, "2026-03-20T00:00:00.000Z", "Europe/Berlin", "USA", "ws_a")],
        {},
    )
    tokyo_days = [dt.date(2026, 2, 1) + dt.timedelta(days=i) for i in range(10)]
    land(
        raw,
        "events/messages",
        "2026-03-30",
        [
            message("g-a", "group", "u_a", "2026-01-11T10:00:00Z", group_id="ws_a"),
            # 06:30 UTC is 01:30 EST, half an hour before New York springs forward
            message("a-ny", "track", "u_a", "2026-03-08T06:30:00Z"),
            # 00:30 UTC is 01:30 CET on Berlin's spring-forward night, after the move
            message("a-berlin", "track", "u_a", "2026-03-29T00:30:00Z"),
            message("g-c", "group", "u_c", "2026-01-31T10:00:00Z", group_id="ws_c"),
            *[
                message(f"c-{d}", "track", "u_c", f"{d}T20:00:00Z", zone="Asia/Tokyo")
                for d in tokyo_days
            ],
        ],
        {},
    )
    return build(root / "build", raw, *OUTPUTS_ONLY)


def company_zones(run: DbtRun) -> dict[str, tuple[str, str]]:
    rows = run.query("select crm_account_id, timezone, timezone_source from marts.dim_companies")
    return {crm_id: (zone, source) for crm_id, zone, source in rows}


def test_every_company_has_a_zone_and_its_source(zones: DbtRun) -> None:
    assert company_zones(zones) == {
        ACCOUNT_A: ("Europe/Berlin", "crm"),
        ACCOUNT_B: ("Europe/Berlin", "country"),
        ACCOUNT_C: ("Asia/Tokyo", "events"),
        ACCOUNT_D: ("Asia/Kathmandu", "country"),
    }


def test_a_zone_change_is_a_version_and_a_change_log_row(zones: DbtRun) -> None:
    versions = zones.query(
        "select timezone, timezone_source, valid_from, valid_to from marts.dim_companies_history"
        f" where crm_account_id = '{ACCOUNT_A}' order by valid_from"
    )
    moved = dt.datetime(2026, 3, 20)
    assert [(z, s) for z, s, *_ in versions] == [
        ("America/New_York", "crm"),
        ("Europe/Berlin", "crm"),
    ]
    assert versions[0][3] == moved and versions[1][2] == moved
    log = zones.query(
        "select changes.old_value, changes.new_value, changes.source"
        " from marts.fct_attribute_changes as changes inner join marts.dim_companies as companies"
        " on changes.entity_key = companies.company_key"
        f" where companies.crm_account_id = '{ACCOUNT_A}' and changes.attribute = 'timezone'"
        " order by changes.changed_at"
    )
    assert log == [(None, "America/New_York", "crm"), ("America/New_York", "Europe/Berlin", "crm")]


def test_inferred_zone_starts_when_the_evidence_is_complete(zones: DbtRun) -> None:
    versions = zones.query(
        "select timezone, timezone_source, valid_from from marts.dim_companies_history"
        f" where crm_account_id = '{ACCOUNT_C}' order by valid_from"
    )
    # ten person-days are the minimum: the tenth is 2026-02-10, so from 2026-02-11 00:00 UTC
    assert versions == [
        ("UTC", "default", dt.datetime(2026, 1, 10, 9)),
        ("Asia/Tokyo", "events", dt.datetime(2026, 2, 11)),
    ]


def test_events_are_local_to_the_company_as_of_the_event(zones: DbtRun) -> None:
    rows = zones.query(
        "select message_id, local_timezone, occurred_at_local, local_date from marts.fct_events"
        " where message_id in ('a-ny', 'a-berlin', 'c-2026-02-01', 'c-2026-02-10') order by all"
    )
    assert rows == [
        ("a-berlin", "Europe/Berlin", dt.datetime(2026, 3, 29, 1, 30), dt.date(2026, 3, 29)),
        ("a-ny", "America/New_York", dt.datetime(2026, 3, 8, 1, 30), dt.date(2026, 3, 8)),
        # before the inference took effect: the company was on UTC then
        ("c-2026-02-01", "UTC", dt.datetime(2026, 2, 1, 20), dt.date(2026, 2, 1)),
        ("c-2026-02-10", "UTC", dt.datetime(2026, 2, 10, 20), dt.date(2026, 2, 10)),
    ]
    device = zones.query(
        "select device_timezone, occurred_at_device_local from marts.fct_events"
        " where message_id = 'c-2026-02-01'"
    )
    assert device == [("Asia/Tokyo", dt.datetime(2026, 2, 2, 5))]


def test_unparseable_zone_text_is_reported_with_the_raw_text(zones: DbtRun) -> None:
    issues = zones.query(
        "select entity_type, entity_id, detail from ops.data_issues"
        " where issue_type = 'unparseable_timezone'"
    )
    assert len(issues) == 1
    entity_type, entity_id, detail = issues[0]
    assert (entity_type, entity_id) == ("crm_account", ACCOUNT_B)
    assert "'TBD'" in detail


def test_daily_marts_key_on_local_dates_and_the_reporting_zone_switches(
    zones: DbtRun, tmp_path: Path
) -> None:
    local = zones.query(
        "select local_date, event_count from marts.fct_company_activity_daily as daily"
        " inner join marts.dim_companies as companies using (company_key)"
        f" where companies.crm_account_id = '{ACCOUNT_A}' order by local_date"
    )
    assert (dt.date(2026, 3, 8), 1) in local and (dt.date(2026, 3, 29), 1) in local

    def reporting_dates(run: DbtRun) -> set[tuple[str, dt.date]]:
        return set(
            run.query(
                "select reporting_timezone, reporting_date"
                " from marts.fct_company_activity_reporting_daily as daily"
                " inner join marts.dim_companies as companies using (company_key)"
                f" where companies.crm_account_id = '{ACCOUNT_C}'"
            )
        )

    # default: UTC dates; C's events happen at 20:00 UTC, 05:00 the next day in Tokyo
    assert ("UTC", dt.date(2026, 2, 1)) in reporting_dates(zones)
    raw_dir = zones.warehouse.parent.parent / "raw"
    switched = run_dbt(
        ["run", "--select", "fct_company_activity_reporting_daily"],
        zones.warehouse.parent,
        raw_dir,
        C360_REPORTING_TIMEZONE="Asia/Tokyo",
    )
    assert switched.result.returncode == 0, switched.result.stdout
    tokyo = reporting_dates(switched)
    assert ("Asia/Tokyo", dt.date(2026, 2, 2)) in tokyo
    assert ("Asia/Tokyo", dt.date(2026, 2, 1)) not in tokyo
