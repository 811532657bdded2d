"""Conflicting duplicates and out-of-order CRM versions are reported, never silent.

One hand-made landing zone: a message retried faithfully (a duplicate, not an
issue), a message whose second copy carries other properties, a CRM version
(Id, SystemModstamp) landed twice with different names, and an account whose
later extract carries an older SystemModstamp than the earlier one. The build
keeps one copy of each and ``ops.data_issues`` names both files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land

pytestmark = pytest.mark.slow

TWIN = "001000000000000TTT"  # one version, two contents
LAGGING = "001000000000000LLL"  # the later extract is older


def account(account_id: str, name: str, modstamp: str) -> dict[str, Any]:
    return {
        "Id": account_id,
        "Name": name,
        "Type": "Customer",
        "CreatedDate": "2026-01-01T09:00:00.000Z",
        "LastModifiedDate": modstamp,
        "SystemModstamp": modstamp,
        "IsDeleted": False,
    }


def message(message_id: str, received: str, feature: str) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": "track",
        "event": "Feature Used",
        "userId": "u1",
        "anonymousId": "anon-u1",
        "timestamp": "2026-01-02T10:00:00.000Z",
        "receivedAt": received,
        "context": "{}",
        "properties": json.dumps({"feature": feature}),
        "traits": "{}",
    }


@pytest.fixture(scope="module")
def issues_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("loading_issues")
    raw = root / "raw"
    day_1, day_2 = "2026-01-02", "2026-01-03"
    land(
        raw,
        "events/messages",
        day_1,
        [
            message("m-retried", "2026-01-02T10:00:01.000Z", "export"),
            message("m-conflict", "2026-01-02T10:00:01.000Z", "export"),
        ],
        {},
    )
    land(
        raw,
        "events/messages",
        day_2,
        [
            # an SDK retry: received later, same content
            message("m-retried", "2026-01-03T08:00:00.000Z", "export"),
            message("m-conflict", "2026-01-03T08:00:00.000Z", "sso"),
        ],
        {},
    )
    land(
        raw,
        "crm/accounts",
        day_1,
        [
            account(TWIN, "Twin Inc", "2026-01-02T09:00:00.000Z"),
            account(LAGGING, "Lagging New", "2026-01-02T12:00:00.000Z"),
        ],
        {},
    )
    land(
        raw,
        "crm/accounts",
        day_2,
        [
            account(TWIN, "Twin Incorporated", "2026-01-02T09:00:00.000Z"),
            account(LAGGING, "Lagging Old", "2026-01-01T12:00:00.000Z"),
        ],
        {},
    )
    return build(root, raw, "--select", "+data_issues", "+load_reconciliation", *OUTPUTS_ONLY)


def issues(run: DbtRun, issue_type: str) -> dict[str, str]:
    return dict(
        run.query(
            "select entity_id, detail from ops.data_issues"
            f" where issue_type = '{issue_type}' order by entity_id"
        )
    )


def test_a_retry_with_the_same_content_is_a_duplicate_not_an_issue(issues_build: DbtRun) -> None:
    found = issues(issues_build, "conflicting_duplicate")
    assert "m-retried" not in found
    [(duplicates,)] = issues_build.query(
        "select sum(duplicate_rows) from ops.load_reconciliation"
        " where source_table = 'events/messages'"
    )
    assert duplicates == 2


def test_a_message_id_with_two_contents_names_both_files(issues_build: DbtRun) -> None:
    detail = issues(issues_build, "conflicting_duplicate")["m-conflict"]
    assert "events/messages/extract_date=2026-01-02/part-0000.parquet row 1" in detail, detail
    assert "events/messages/extract_date=2026-01-03/part-0000.parquet row 1" in detail, detail
    assert "differ in feature, properties" in detail, detail
    assert "kept the first copy received" in detail, detail
    [(feature,)] = issues_build.query(
        "select feature from staging.stg_events__messages where message_id = 'm-conflict'"
    )
    assert feature == "export"


def test_a_crm_version_with_two_contents_is_reported(issues_build: DbtRun) -> None:
    detail = issues(issues_build, "conflicting_duplicate")[TWIN]
    assert "differ in account_name" in detail, detail
    assert "kept the copy from the latest extract" in detail, detail
    assert "extract_date=2026-01-02" in detail and "extract_date=2026-01-03" in detail, detail
    [(entity_type,)] = issues_build.query(
        f"select entity_type from ops.data_issues where entity_id = '{TWIN}'"
    )
    assert entity_type == "crm_account"


def test_a_later_extract_with_an_older_version_is_reported_and_loses(
    issues_build: DbtRun,
) -> None:
    found = issues(issues_build, "crm_version_out_of_order")
    assert sorted(found) == [LAGGING], found
    detail = found[LAGGING]
    assert "SystemModstamp 2026-01-01 12:00:00 UTC in crm/accounts/extract_date=2026-01-03" in (
        detail
    ), detail
    assert "already in crm/accounts/extract_date=2026-01-02" in detail, detail
    [(name,)] = issues_build.query(
        f"select account_name from staging.stg_crm__accounts where account_id = '{LAGGING}'"
    )
    assert name == "Lagging New"
