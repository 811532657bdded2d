"""Identity resolution and keys that never change: real dbt builds, temp warehouses.

Keys must be the same from scratch on any machine, survive ``--full-refresh``,
and survive a backfill; a merge keeps the loser resolvable. Builds use the
plain-``dbt build`` helpers of ``test_dbt_project`` (temp warehouse, target
and logs per build).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land, published_run, run_dbt

from shared_builds import Published

pytestmark = pytest.mark.slow

IDENTIFIERS = """
    select 'company', identifier_type, identifier_value, company_key
    from intermediate.int_company_identifiers
    union all
    select 'person', identifier_type, identifier_value, person_key
    from intermediate.int_person_identifiers
    order by all
"""

ACCOUNT_A = "001000000000000AAA"
APP_W = "ws_w"
CUSTOMER_C = "cus_c"


def company_keys(run: DbtRun) -> dict[tuple[str, str], str]:
    rows = run.query(
        "select identifier_type, identifier_value, company_key"
        " from intermediate.int_company_identifiers"
    )
    return {(t, v): k for t, v, k in rows}


# Every assertion here reads the identity models: build those (and what they
# read) only, without dbt's tests (the clean build in test_build.py runs them).
IDENTITY_ONLY = (
    *OUTPUTS_ONLY,
    "--select",
    "+int_company_key_lookup",
    "+int_person_key_lookup",
    "+int_person_company_memberships",
    "+company_key_merges",
    "+person_key_merges",
)


def crm_account(account_id: str, created: str, app_account_id: str | None = None) -> dict[str, Any]:
    return {
        "Id": account_id,
        "Name": "Acme",
        "Type": "Customer",
        "App_Account_Id__c": app_account_id,
        "CreatedDate": created,
        "LastModifiedDate": created,
        "SystemModstamp": created,
        "IsDeleted": False,
    }


def group_call(message_id: str, at: str, user_id: str = "u1") -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": "group",
        "userId": user_id,
        "anonymousId": "anon-1",
        "groupId": APP_W,
        "timestamp": at,
        "receivedAt": at,
        "context": "{}",
        "properties": "{}",
        "traits": json.dumps({"name": "Acme"}),
    }


def billing_customer(created_epoch: int) -> dict[str, Any]:
    return {
        "id": CUSTOMER_C,
        "email": "billing@acme.example",
        "name": "Acme",
        "created": created_epoch,
        "currency": "usd",
        "address_country": "US",
        "deleted": False,
        "metadata": json.dumps({"crm_account_id": ACCOUNT_A, "app_account_id": APP_W}),
    }


@pytest.fixture(scope="module")
def scratch_builds(
    tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory, published_tiny: Published
) -> tuple[DbtRun, DbtRun]:
    """Two builds from scratch: one here (identity models only), and the run's shared
    ``c360 refresh`` of the same landing zone (every model)."""
    root = tmp_path_factory.mktemp("identity_scratch")
    return build(root / "one", tiny_landing, *IDENTITY_ONLY), published_run(published_tiny)


def test_keys_are_identical_across_two_builds_from_scratch(
    scratch_builds: tuple[DbtRun, DbtRun],
) -> None:
    one, two = scratch_builds
    keys = one.query(IDENTIFIERS)
    assert keys, "no identifiers resolved"
    assert keys == two.query(IDENTIFIERS)
    assert one.query("select count(*) from intermediate.company_key_merges") == [(0,)]
    assert one.query("select count(*) from intermediate.person_key_merges") == [(0,)]


def test_keys_survive_a_full_refresh(
    scratch_builds: tuple[DbtRun, DbtRun], tiny_landing: Path
) -> None:
    one, _ = scratch_builds
    before = one.query(IDENTIFIERS)
    registry = "select count(*) from intermediate.company_key_registry"
    rows_before = one.query(registry)
    workdir = one.warehouse.parent
    rerun = run_dbt(["build", "--full-refresh", *IDENTITY_ONLY], workdir, tiny_landing)
    assert rerun.result.returncode == 0, rerun.result.stdout
    assert rerun.query(IDENTIFIERS) == before
    # the registry was neither wiped nor appended to
    assert rerun.query(registry) == rows_before


def test_a_merge_keeps_the_loser_resolvable(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    # CRM account A (no app id yet) and app account W, used before any link.
    land(
        raw, "crm/accounts", "2024-01-02", [crm_account(ACCOUNT_A, "2024-01-01T09:00:00.000Z")], {}
    )
    land(raw, "events/messages", "2024-01-10", [group_call("m1", "2024-01-09T12:00:00Z")], {})
    first = build(tmp_path / "build", raw, *IDENTITY_ONLY)
    keys = company_keys(first)
    key_a, key_w = keys[("crm_account_id", ACCOUNT_A)], keys[("app_account_id", APP_W)]
    assert key_a != key_w

    # Billing's customer links both: one company; A's anchor was seen first, so its key survives.
    land(raw, "billing/customers", "2024-01-11", [billing_customer(1704963600)], {"mode": "full"})
    second = build(tmp_path / "build", raw, *IDENTITY_ONLY)
    keys = company_keys(second)
    assert set(keys.values()) == {key_a}
    assert ("billing_customer_id", CUSTOMER_C) in keys
    merges = second.query(
        "select loser_company_key, survivor_company_key, merged_at is not null,"
        " recorded_at is not null from intermediate.company_key_merges"
    )
    assert merges == [(key_w, key_a, True, True)]
    lookup = dict(
        second.query(
            "select issued_company_key, company_key from intermediate.int_company_key_lookup"
        )
    )
    assert lookup == {key_a: key_a, key_w: key_a}
    # the person's membership carries the survivor
    assert second.query(
        "select distinct company_key from intermediate.int_person_company_memberships"
    ) == [(key_a,)]


def test_a_backfill_does_not_rekey(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    land(
        raw,
        "crm/accounts",
        "2024-02-02",
        [crm_account(ACCOUNT_A, "2024-02-01T09:00:00.000Z", app_account_id=APP_W)],
        {},
    )
    land(raw, "events/messages", "2024-02-06", [group_call("m2", "2024-02-05T12:00:00Z")], {})
    first = build(tmp_path / "build", raw, *IDENTITY_ONLY)
    before = company_keys(first)
    assert len(set(before.values())) == 1

    # An old events extract: W was in use before the CRM account existed.
    land(raw, "events/messages", "2024-01-02", [group_call("m1", "2024-01-01T12:00:00Z")], {})
    second = build(tmp_path / "build", raw, *IDENTITY_ONLY)
    assert company_keys(second) == before
    assert second.query("select count(*) from intermediate.company_key_merges") == [(0,)]

    # From scratch, the same data anchors on W: the registry is what kept the key.
    fresh = build(tmp_path / "fresh", raw, *IDENTITY_ONLY)
    assert set(company_keys(fresh).values()) != set(before.values())
