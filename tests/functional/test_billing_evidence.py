"""Stripe customers linked by evidence, and the plan from billing: hand-made landing zones.

One landing zone holds one small case per rule (see ``evidence_build``); each test
asserts one rule on the same build. The merge test builds twice: a new evidence link
merges two companies under the existing registry rules.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land

pytestmark = pytest.mark.slow

ACME = "001000000000000AAA"  # the person_email case
BETA = "001000000000000BBB"  # the domain case
DELTA_1 = "001000000000000DD1"  # two companies own delta.example
DELTA_2 = "001000000000000DD2"
ECHO_1 = "001000000000000EE1"  # a person in two companies
ECHO_2 = "001000000000000EE2"
META = "001000000000000MMM"  # metadata that evidence contradicts
APP_ACME = "ws_acme"
APP_ECHO_2 = "ws_echo2"
APP_SOLO = "ws_solo"  # a workspace billing knows nothing about


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())


def account(
    account_id: str, name: str, website: str | None = None, app_account_id: str | None = None
) -> dict[str, Any]:
    at = "2026-01-01T09:00:00.000Z"
    return {
        "Id": account_id,
        "Name": name,
        "Website": website,
        "Type": "Customer",
        "App_Account_Id__c": app_account_id,
        "CreatedDate": at,
        "LastModifiedDate": at,
        "SystemModstamp": at,
        "IsDeleted": False,
    }


def contact(
    contact_id: str, account_id: str, email: str, app_user_id: str | None = None
) -> dict[str, Any]:
    at = "2026-01-01T10:00:00.000Z"
    return {
        "Id": contact_id,
        "AccountId": account_id,
        "Email": email,
        "FirstName": "Pat",
        "LastName": "Doe",
        "App_User_Id__c": app_user_id,
        "HasOptedOutOfEmail": False,
        "CreatedDate": at,
        "LastModifiedDate": at,
        "SystemModstamp": at,
        "IsDeleted": False,
    }


def message(message_id: str, kind: str, user_id: str, at: str, **fields: Any) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": kind,
        "userId": user_id,
        "anonymousId": f"anon-{user_id}",
        "timestamp": at,
        "receivedAt": at,
        "context": "{}",
        "properties": "{}",
        "traits": "{}",
    } | fields


def customer(
    customer_id: str, email: str, name: str, metadata: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "id": customer_id,
        "email": email,
        "name": name,
        "created": epoch("2026-01-03T00:00:00"),
        "currency": "usd",
        "address_country": "US",
        "deleted": False,
        "metadata": json.dumps(metadata or {}),
    }


@pytest.fixture(scope="module")
def evidence_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("billing_evidence")
    raw = root / "raw"
    land(
        raw,
        "crm/accounts",
        "2026-01-02",
        [
            account(ACME, "Acme", "https://www.acme.example", APP_ACME),
            account(BETA, "Beta", "https://beta.example/"),
            account(DELTA_1, "Delta One", "https://delta.example"),
            account(DELTA_2, "Delta Two", "http://www.delta.example/home"),
            account(ECHO_1, "Echo"),
            account(ECHO_2, "Echo Two", app_account_id=APP_ECHO_2),
            account(META, "Meta"),
        ],
        {},
    )
    land(
        raw,
        "crm/contacts",
        "2026-01-02",
        [
            contact("003000000000000C01", ACME, "jane@acme.example"),
            # a Beta person with a gmail address: gmail.com is still nobody's domain
            contact("003000000000000C02", BETA, "bob@gmail.com"),
            # Pat is Echo's contact and uses Echo Two's workspace
            contact("003000000000000C03", ECHO_1, "pat@echo.example", app_user_id="u_pat"),
        ],
        {},
    )
    shared_mailbox = [
        message(
            f"id{i}",
            "identify",
            f"u_ops{i}",
            "2026-01-02T08:00:00Z",
            traits=json.dumps({"email": "ops@shared.example"}),
        )
        for i in range(25)
    ]
    land(
        raw,
        "events/messages",
        "2026-01-02",
        [
            message(
                "g1",
                "group",
                "u_jane",
                "2026-01-02T12:00:00Z",
                groupId=APP_ACME,
                traits=json.dumps({"name": "Acme app", "plan": "growth"}),
            ),
            message("g2", "group", "u_pat", "2026-01-02T12:00:00Z", groupId=APP_ECHO_2),
            message(
                "g3",
                "group",
                "u_solo",
                "2026-01-02T12:00:00Z",
                groupId=APP_SOLO,
                traits=json.dumps({"name": "Solo", "plan": "enterprise"}),
            ),
            *shared_mailbox,
        ],
        {},
    )
    full = {"mode": "full"}
    land(
        raw,
        "billing/customers",
        "2026-01-10",
        [
            customer("cus_acme", "Jane@Acme.example", "Acme Billing Dept"),
            customer("cus_beta", "accounts@beta.example", "Beta GmbH"),
            customer("cus_free", "gina@gmail.com", "Gina Freelance"),
            customer("cus_delta", "ap@delta.example", "Delta"),
            customer("cus_echo", "pat@echo.example", "Echo"),
            customer("cus_shared", "ops@shared.example", "Shared"),
            customer("cus_meta", "jane@acme.example", "Meta", {"crm_account_id": META}),
        ],
        full,
    )
    land(
        raw,
        "billing/products",
        "2026-01-10",
        [{"id": "prod_s", "name": "Starter", "active": True, "metadata": '{"plan": "starter"}'}],
        full,
    )
    land(
        raw,
        "billing/prices",
        "2026-01-10",
        [
            {
                "id": "price_s",
                "product": "prod_s",
                "currency": "usd",
                "unit_amount": 1000,
                "recurring_interval": "month",
                "recurring_interval_count": 1,
                "active": True,
            }
        ],
        full,
    )
    land(
        raw,
        "billing/subscriptions",
        "2026-01-10",
        [
            {
                "id": "sub_acme",
                "customer": "cus_acme",
                "status": "active",
                "created": epoch("2026-01-05T08:00:00"),
                "start_date": epoch("2026-01-05T08:00:00"),
                "current_period_start": epoch("2026-01-05T08:00:00"),
                "current_period_end": epoch("2026-02-05T08:00:00"),
                "cancel_at_period_end": False,
                "currency": "usd",
                "items": json.dumps([{"id": "si_1", "price": "price_s", "quantity": 1}]),
            }
        ],
        full,
    )
    return build(root / "build", raw, *OUTPUTS_ONLY)


def company_of(run: DbtRun, identifier_type: str, identifier_value: str) -> str | None:
    rows = run.query(
        "select company_key from marts.bridge_company_identifiers"
        f" where identifier_type = '{identifier_type}' and identifier_value = '{identifier_value}'"
    )
    return rows[0][0] if rows else None


def evidence_of(run: DbtRun, customer_id: str) -> tuple[str | None, str]:
    rows = run.query(
        "select evidence, evidence_status from intermediate.int_billing_customer_evidence"
        f" where customer_id = '{customer_id}'"
    )
    assert len(rows) == 1, rows
    return rows[0]


def issues(run: DbtRun, customer_id: str) -> list[tuple[str, str]]:
    return run.query(
        "select issue_type, detail from ops.data_issues"
        f" where entity_type = 'billing_customer' and entity_id = '{customer_id}'"
    )


def test_customer_links_by_person_email(evidence_build: DbtRun) -> None:
    assert evidence_of(evidence_build, "cus_acme") == ("person_email", "linked")
    acme = company_of(evidence_build, "crm_account_id", ACME)
    assert company_of(evidence_build, "billing_customer_id", "cus_acme") == acme
    assert company_of(evidence_build, "app_account_id", APP_ACME) == acme


def test_customer_links_by_a_domain_one_company_owns(evidence_build: DbtRun) -> None:
    assert evidence_of(evidence_build, "cus_beta") == ("domain", "linked")
    assert company_of(evidence_build, "billing_customer_id", "cus_beta") == company_of(
        evidence_build, "crm_account_id", BETA
    )


def test_free_mail_domain_never_links(evidence_build: DbtRun) -> None:
    # Beta's own person writes from gmail.com, yet gmail.com is evidence of nothing.
    assert evidence_of(evidence_build, "cus_free") == (None, "no_evidence")
    free = company_of(evidence_build, "billing_customer_id", "cus_free")
    assert free is not None and free != company_of(evidence_build, "crm_account_id", BETA)


@pytest.mark.parametrize(
    ("customer_id", "issue_type", "others"),
    [
        ("cus_delta", "domain_owned_by_several_companies", [DELTA_1, DELTA_2]),
        ("cus_echo", "person_in_several_companies", [ECHO_1, ECHO_2]),
        ("cus_shared", "email_shared_by_several_people", []),
    ],
)
def test_ambiguous_evidence_is_reported_and_never_merges(
    evidence_build: DbtRun, customer_id: str, issue_type: str, others: list[str]
) -> None:
    assert evidence_of(evidence_build, customer_id) == (None, issue_type)
    found = issues(evidence_build, customer_id)
    assert [t for t, _ in found] == [issue_type]
    for account_id in others:
        assert account_id in found[0][1]
    own = company_of(evidence_build, "billing_customer_id", customer_id)
    members = evidence_build.query(
        f"select count(*) from marts.bridge_company_identifiers where company_key = '{own}'"
    )
    assert members == [(1,)]


def test_evidence_contradicting_metadata_is_reported_and_metadata_wins(
    evidence_build: DbtRun,
) -> None:
    assert evidence_of(evidence_build, "cus_meta") == ("metadata", "evidence_contradicts_metadata")
    [(issue_type, detail)] = issues(evidence_build, "cus_meta")
    assert issue_type == "evidence_contradicts_metadata" and ACME in detail and META in detail
    assert company_of(evidence_build, "billing_customer_id", "cus_meta") == company_of(
        evidence_build, "crm_account_id", META
    )
    assert company_of(evidence_build, "crm_account_id", META) != company_of(
        evidence_build, "crm_account_id", ACME
    )


def test_billing_only_company_is_named_by_stripe_name(evidence_build: DbtRun) -> None:
    rows = evidence_build.query(
        "select company_name, crm_account_id, app_account_id from marts.dim_companies"
        " where billing_customer_id = 'cus_free'"
    )
    assert rows == [("Gina Freelance", None, None)]
    # a company with a CRM account keeps the CRM name
    assert evidence_build.query(
        f"select company_name from marts.dim_companies where crm_account_id = '{ACME}'"
    ) == [("Acme",)]


def test_bridge_resolves_every_source_id(evidence_build: DbtRun) -> None:
    bridged = {
        (t, v): (k, e)
        for t, v, k, e in evidence_build.query(
            "select identifier_type, identifier_value, company_key, evidence"
            " from marts.bridge_company_identifiers"
        )
    }
    identifiers = evidence_build.query(
        "select identifier_type, identifier_value, company_key"
        " from intermediate.int_company_identifiers"
    )
    assert {(t, v): k for t, v, k in identifiers} == {tv: k for tv, (k, _) in bridged.items()}
    assert ("app_account_id", APP_SOLO) in bridged
    assert bridged[("billing_customer_id", "cus_acme")][1] == "person_email"
    assert bridged[("billing_customer_id", "cus_beta")][1] == "domain"
    assert bridged[("billing_customer_id", "cus_meta")][1] == "metadata"
    assert bridged[("billing_customer_id", "cus_free")][1] == "sole_identifier"
    assert bridged[("app_account_id", APP_ACME)][1] == "crm_app_account_id"


def test_plan_from_billing_beats_group_traits(evidence_build: DbtRun) -> None:
    assert evidence_build.query(
        f"select plan, plan_source from marts.dim_companies where crm_account_id = '{ACME}'"
    ) == [("starter", "billing")]


def test_plan_is_dated_by_stripe_time(evidence_build: DbtRun) -> None:
    changes = evidence_build.query(
        "select changes.old_value, changes.new_value, changes.source, changes.changed_at"
        " from marts.fct_attribute_changes as changes"
        " inner join marts.dim_companies as companies on changes.entity_key = companies.company_key"
        f" where companies.crm_account_id = '{ACME}' and changes.attribute = 'plan'"
        " order by changes.changed_at"
    )
    assert changes == [
        (None, "growth", "events", datetime(2026, 1, 2, 12, 0)),
        # Stripe's start_date, not the extract date (2026-01-10)
        ("growth", "starter", "billing", datetime(2026, 1, 5, 8, 0)),
    ]


def test_plan_falls_back_to_group_traits_without_subscription(evidence_build: DbtRun) -> None:
    assert evidence_build.query(
        f"select plan, plan_source from marts.dim_companies where app_account_id = '{APP_SOLO}'"
    ) == [("enterprise", "events")]


def test_a_new_evidence_link_merges_under_the_registry_rules(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    land(raw, "crm/accounts", "2026-01-02", [account(ACME, "Acme")], {})
    land(
        raw,
        "billing/customers",
        "2026-01-10",
        [customer("cus_late", "zoe@zeta.example", "Zeta")],
        {"mode": "full"},
    )
    first = build(tmp_path / "build", raw, *OUTPUTS_ONLY)
    key_acme = company_of(first, "crm_account_id", ACME)
    key_late = company_of(first, "billing_customer_id", "cus_late")
    assert key_acme != key_late

    # The CRM learns that Zoe is Acme's: her email is now evidence.
    land(
        raw,
        "crm/contacts",
        "2026-01-11",
        [contact("003000000000000C09", ACME, "zoe@zeta.example")],
        {},
    )
    second = build(tmp_path / "build", raw, *OUTPUTS_ONLY)
    assert company_of(second, "billing_customer_id", "cus_late") == key_acme
    assert second.query(
        "select loser_company_key, survivor_company_key from intermediate.company_key_merges"
    ) == [(key_late, key_acme)]
