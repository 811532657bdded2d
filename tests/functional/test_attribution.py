"""Attribution and consent at the door: hand-made landing zones, real dbt builds.

One person (Ada) acts before her first membership, from a device and logged
in, and writes to support before it: everything belongs to her first
membership's company. A person seen only in non-consented messages (Ghost)
must not exist; a CRM contact (Carol) whose own messages refused consent
exists through the CRM but gains no link, trait or membership from them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, REPO_ROOT, DbtRun, build, land

pytestmark = pytest.mark.slow

ACCOUNT_A = "001000000000000AAA"
ACCOUNT_B = "001000000000000BBB"
CONTACT_CAROL = "003000000000000CCC"
REFUSED = json.dumps({"consent": {"categoryPreferences": {"analytics": False}}})
GIVEN = json.dumps({"consent": {"categoryPreferences": {"analytics": True}}})


def account(account_id: str, app_account_id: str) -> dict[str, Any]:
    at = "2026-01-01T00:00:00.000Z"
    return {
        "Id": account_id,
        "Name": f"Company {account_id[-3:]}",
        "Type": "Customer",
        "App_Account_Id__c": app_account_id,
        "CreatedDate": at,
        "LastModifiedDate": at,
        "SystemModstamp": at,
        "IsDeleted": False,
    }


def message(
    message_id: str, kind: str, at: str, context: str = "{}", **fields: Any
) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": kind,
        "timestamp": at,
        "receivedAt": at,
        "context": context,
        "properties": "{}",
        "traits": "{}",
        **fields,
    }


MESSAGES = [
    # Ada: a pre-login page view from dev-ada, identify, a track, all before
    # her first membership (the group call on 2026-03-10), then one after.
    message("ada-anon-page", "page", "2026-03-01T09:00:00Z", anonymousId="dev-ada", name="Pricing"),
    message(
        "ada-identify",
        "identify",
        "2026-03-02T09:00:00Z",
        GIVEN,
        userId="u-ada",
        anonymousId="dev-ada",
        traits=json.dumps({"email": "ada@a.example", "name": "Ada"}),
    ),
    message("ada-track", "track", "2026-03-03T09:00:00Z", userId="u-ada", event="Report Created"),
    message("ada-group", "group", "2026-03-10T09:00:00Z", userId="u-ada", groupId="ws_a"),
    message("ada-after", "track", "2026-03-11T09:00:00Z", userId="u-ada", event="Report Created"),
    # Ghost: known only from messages without analytics consent.
    message(
        "ghost-identify",
        "identify",
        "2026-03-02T10:00:00Z",
        REFUSED,
        userId="u-ghost",
        anonymousId="dev-ghost",
        traits=json.dumps({"email": "ghost@a.example", "name": "Ghost"}),
    ),
    message(
        "ghost-group", "group", "2026-03-02T10:01:00Z", REFUSED, userId="u-ghost", groupId="ws_a"
    ),
    message(
        "ghost-new-ws",
        "group",
        "2026-03-02T10:02:00Z",
        REFUSED,
        userId="u-ghost",
        groupId="ws_ghost",
    ),
    # Carol: a CRM contact at A whose own messages refused consent.
    message(
        "carol-identify",
        "identify",
        "2026-03-04T10:00:00Z",
        REFUSED,
        userId="u-carol",
        anonymousId="dev-carol",
        traits=json.dumps(
            {"email": "carol.private@b.example", "name": "Carol Events", "title": "CTO"}
        ),
    ),
    message(
        "carol-group", "group", "2026-03-04T10:01:00Z", REFUSED, userId="u-carol", groupId="ws_b"
    ),
]

CAROL = {
    "Id": CONTACT_CAROL,
    "AccountId": ACCOUNT_A,
    "Email": "carol@a.example",
    "FirstName": "Carol",
    "LastName": "Crm",
    "App_User_Id__c": "u-carol",
    "HasOptedOutOfEmail": False,
    "CreatedDate": "2026-01-02T00:00:00.000Z",
    "LastModifiedDate": "2026-01-02T00:00:00.000Z",
    "SystemModstamp": "2026-01-02T00:00:00.000Z",
    "IsDeleted": False,
}

TICKET = {
    "ticket_id": 9001,
    "requester_email": "ada@a.example",
    "organization_external_id": None,
    "status": "open",
    "priority": "normal",
    "channel": "email",
    "satisfaction_rating": "",
    # naive help-desk local time (America/Los_Angeles): 2026-03-05 17:00 UTC
    "created_at": "2026-03-05 09:00:00",
    "updated_at": "2026-03-05 09:00:00",
    "solved_at": None,
}


@pytest.fixture(scope="module")
def attributed(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("attribution")
    raw = root / "raw"
    land(
        raw,
        "crm/accounts",
        "2026-01-01",
        [account(ACCOUNT_A, "ws_a"), account(ACCOUNT_B, "ws_b")],
        {},
    )
    land(raw, "crm/contacts", "2026-01-02", [CAROL], {})
    land(raw, "events/messages", "2026-03-12", MESSAGES, {})
    land(raw, "support/tickets", "2026-03-12", [TICKET], {})
    return build(root / "build", raw, *OUTPUTS_ONLY)


def company_of(run: DbtRun, crm_account_id: str) -> str:
    [(key,)] = run.query(
        "select company_key from intermediate.int_company_identifiers"
        f" where identifier_type = 'crm_account_id' and identifier_value = '{crm_account_id}'"
    )
    return str(key)


def test_events_before_the_first_membership_get_its_company(attributed: DbtRun) -> None:
    key_a = company_of(attributed, ACCOUNT_A)
    rows = attributed.query(
        "select message_id, person_resolved_by, company_key, company_resolved_by"
        " from marts.fct_events where message_id like 'ada-%' order by message_id"
    )
    assert rows == [
        ("ada-after", "user_id", key_a, "membership"),
        ("ada-anon-page", "anonymous_id", key_a, "first_membership"),
        ("ada-group", "user_id", key_a, "group_id"),
        ("ada-identify", "user_id", key_a, "first_membership"),
        ("ada-track", "user_id", key_a, "first_membership"),
    ]
    # fct_events is a view of the intermediate model's rows still landed, row for row
    held = (
        "select * exclude (_is_removed, _previous_company_key, _previous_local_date,"
        " _previous_occurred_at, _previous_attributed_at)"
        " from intermediate.int_events_attributed where not _is_removed"
    )
    assert attributed.query(
        f"select (select count(*) from (select * from marts.fct_events except {held})),"
        f" (select count(*) from ({held} except select * from marts.fct_events))"
    ) == [(0, 0)]


def test_a_ticket_before_the_first_membership_gets_its_company(attributed: DbtRun) -> None:
    assert attributed.query(
        "select ticket_id, company_key, company_resolved_by from marts.fct_support_tickets"
    ) == [("9001", company_of(attributed, ACCOUNT_A), "first_membership")]


def test_a_person_seen_only_without_consent_does_not_exist(attributed: DbtRun) -> None:
    assert attributed.query(
        "select count(*) from personal.dim_people_contact_details"
        " where user_id = 'u-ghost' or email = 'ghost@a.example'"
    ) == [(0,)]
    assert attributed.query(
        "select count(*) from intermediate.int_person_identifiers"
        " where identifier_value in ('u-ghost', 'ghost@a.example', 'dev-ghost')"
    ) == [(0,)]
    assert attributed.query(
        "select count(*) from intermediate.int_anonymous_ids_linked"
        " where anonymous_id in ('dev-ghost', 'dev-carol')"
    ) == [(0,)]
    # nor does the workspace only its refused group call named
    assert attributed.query(
        "select count(*) from intermediate.int_company_identifiers"
        " where identifier_value = 'ws_ghost'"
    ) == [(0,)]
    # and no refused message is in the facts
    assert attributed.query(
        "select count(*) from marts.fct_events"
        " where message_id like 'ghost-%' or message_id like 'carol-%'"
    ) == [(0,)]


def test_a_crm_contact_gains_nothing_from_refused_messages(attributed: DbtRun) -> None:
    key_a = company_of(attributed, ACCOUNT_A)
    [(person_key, email, full_name, title, company_key)] = attributed.query(
        "select people.person_key, contacts.email, contacts.full_name, people.title,"
        " people.company_key from marts.dim_people as people"
        " inner join personal.dim_people_contact_details as contacts"
        " on people.person_key = contacts.person_key"
        " where people.crm_contact_id = '" + CONTACT_CAROL + "'"
    )
    assert (email, full_name, title, company_key) == ("carol@a.example", "Carol Crm", None, key_a)
    # no link to the e-mail her refused identify sent
    assert attributed.query(
        "select count(*) from intermediate.int_person_identifier_links"
        " where 'carol.private@b.example' in (identifier_value_a, identifier_value_b)"
    ) == [(0,)]
    # no trait observed from events, no version from them
    assert attributed.query(
        "select count(*) from intermediate.int_person_attribute_observations"
        " where source = 'events' and identifier_value = 'u-carol'"
    ) == [(0,)]
    assert attributed.query(
        "select count(*) from marts.fct_attribute_changes where entity = 'person'"
        f" and entity_key = '{person_key}' and source = 'events'"
    ) == [(0,)]
    # the refused group call in B created no membership: only the CRM's A
    assert attributed.query(
        "select company_key, source from intermediate.int_person_company_memberships"
        f" where person_key = '{person_key}'"
    ) == [(key_a, "crm")]


def test_a_refused_group_call_creates_no_membership(attributed: DbtRun) -> None:
    # Ghost's refused group call in A (a company that exists) made no member
    assert attributed.query(
        "select count(*) from intermediate.int_person_company_memberships memberships"
        " inner join intermediate.int_person_identifiers people using (person_key)"
        " where people.identifier_value = 'u-ghost'"
    ) == [(0,)]
    # Ada's consented group call did
    assert attributed.query(
        "select count(*) from intermediate.int_person_company_memberships where source = 'events'"
    ) == [(1,)]


MART_REF = re.compile(r"ref\(\s*['\"](fct_|dim_|bridge_|rpt_|export_)")
EVENTS_REF = re.compile(r"ref\(\s*['\"]stg_events__messages['\"]\s*\)")
# Models allowed to read every message, consented or not: none identifies a person,
# except int_person_consents, which keeps only each person's latest consent flag
# (to honour a refusal the exports must know who refused).
ALL_MESSAGES_READERS = {
    "int_person_consents.sql",  # the consent flag per person, nothing else
    "stg_events__messages_consented.sql",  # the door itself
    "int_timezone_texts_parsed.sql",  # device zone texts and their counts
    "fct_events_anonymous_daily.sql",  # anonymous totals
    "rpt_event_quality.sql",  # tracking-plan quality, per event name
}


def test_no_intermediate_or_ops_model_reads_a_mart() -> None:
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for folder in ("intermediate", "ops")
        for path in sorted((REPO_ROOT / "models" / folder).rglob("*"))
        if path.suffix in (".sql", ".py", ".yml") and MART_REF.search(path.read_text())
    ]
    assert offenders == [], offenders


def test_only_anonymous_models_read_messages_without_the_consent_door() -> None:
    readers = {
        path.name
        for path in (REPO_ROOT / "models").rglob("*.sql")
        if EVENTS_REF.search(path.read_text())
    }
    assert readers == ALL_MESSAGES_READERS, readers ^ ALL_MESSAGES_READERS
