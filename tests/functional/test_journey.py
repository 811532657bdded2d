"""The adoption journey from a hand-made landing zone, checked against dates worked out by
hand below (doc block `journey_rules`; defaults N = 3 key weeks in M = 4, K = 3 features
in 28 days, D = 30 days).

One company, A (CRM account, app workspace ws_a, zone America/New_York). Every event is
at 15:00 UTC, the same local day in New York. Key events: Report Created (reports),
Dashboard Created (dashboards), Alert Created (alerts); page views are activity, no key
event and no feature. The as-of date is 31 March 2026, Ada's last activity.

- Ada: identify Friday 2 January (signed_up). Report Created every Monday from 5 January
  to 30 March: activated 5 January, engaged Monday 19 January (third key week in a row)
  and engaged from then on. Dashboard Created Tuesday 10 March, Alert Created Wednesday
  18 March: on 18 March the last 28 days hold reports, dashboards and alerts, power_user.
  Changes: signed_up 2 Jan, activated 5 Jan (3 days), engaged 19 Jan (14), power_user
  18 Mar (58); current power_user, 13 days.
- Bob: identify Tuesday 6 January, Report Created Wednesday 7 January, a page view
  Saturday 10 January, then nothing until Report Created Wednesday 25 February: dormant
  on 9 February (10 January + 30), back to activated on 25 February. Report Created 4 and
  11 March: key weeks of 23 February, 2 and 9 March, engaged on 11 March until the week
  of 23 February leaves the four weeks (Monday 23 March), then activated. Changes:
  signed_up 6 Jan, activated 7 Jan (1), dormant 9 Feb (33), activated 25 Feb (16),
  engaged 11 Mar (14), activated 23 Mar (12); current activated, 8 days.
- Cleo: only a CRM contact of A created 2026-02-10 03:00 UTC, 9 February in New York:
  signed_up 9 February, current signed_up (the CRM sign-up on the company's clock).
- Dan: identify and Alert Created Thursday 8 January (signed_up and activated the same
  day: one change, to activated), Alert Created 2 February, a page view 20 February
  (gaps under 30 days), then nothing: dormant 22 March (73 days activated); current
  dormant, 9 days.
- Eve: identify Sunday 1 March, page views 2 and 5 March, no key event: signed_up,
  never activated, and never dormant (dormancy needs activation).

Company A: 2 signed_up (Cleo, Eve), 1 activated (Bob), 0 engaged, 1 power_user (Ada),
1 dormant (Dan).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land

pytestmark = pytest.mark.slow

ACCOUNT_A = "001000000000000AAA"
CONTACT_CLEO = "003000000000000CLE"
AS_OF = date(2026, 3, 31)


def at(day: str, minute: int = 0) -> str:
    return f"{day}T15:{minute:02d}:00Z"


def message(message_id: str, kind: str, day: str, user: str, **fields: Any) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": kind,
        "userId": user,
        "anonymousId": f"dev-{user}",
        "timestamp": at(day, fields.pop("minute", 0)),
        "receivedAt": at(day, 0),
        "context": "{}",
        "properties": "{}",
        "traits": "{}",
        **fields,
    }


def sign_up(user: str, day: str) -> list[dict[str, Any]]:
    """An identify call and the group call that puts the person in workspace ws_a."""
    return [
        message(f"{user}-identify-{day}", "identify", day, user),
        message(f"{user}-group-{day}", "group", day, user, groupId="ws_a", minute=1),
    ]


def track(user: str, day: str, event: str) -> dict[str, Any]:
    return message(f"{user}-{event}-{day}", "track", day, user, event=event, minute=5)


def page(user: str, day: str) -> dict[str, Any]:
    return message(f"{user}-page-{day}", "page", day, user, name="Home", minute=10)


def mondays(first: date, last: date) -> list[str]:
    days, day = [], first
    while day <= last:
        days.append(day.isoformat())
        day += timedelta(days=7)
    return days


MESSAGES = [
    # Ada
    *sign_up("u-ada", "2026-01-02"),
    *(track("u-ada", day, "Report Created") for day in mondays(date(2026, 1, 5), AS_OF)),
    track("u-ada", "2026-03-10", "Dashboard Created"),
    track("u-ada", "2026-03-18", "Alert Created"),
    page("u-ada", "2026-03-31"),
    # Bob
    *sign_up("u-bob", "2026-01-06"),
    track("u-bob", "2026-01-07", "Report Created"),
    page("u-bob", "2026-01-10"),
    track("u-bob", "2026-02-25", "Report Created"),
    track("u-bob", "2026-03-04", "Report Created"),
    track("u-bob", "2026-03-11", "Report Created"),
    # Dan
    *sign_up("u-dan", "2026-01-08"),
    track("u-dan", "2026-01-08", "Alert Created"),
    track("u-dan", "2026-02-02", "Alert Created"),
    page("u-dan", "2026-02-20"),
    # Eve
    *sign_up("u-eve", "2026-03-01"),
    page("u-eve", "2026-03-02"),
    page("u-eve", "2026-03-05"),
]

ACCOUNT = {
    "Id": ACCOUNT_A,
    "Name": "Company A",
    "Type": "Customer",
    "App_Account_Id__c": "ws_a",
    "Time_Zone__c": "America/New_York",
    "CreatedDate": "2025-12-01T00:00:00.000Z",
    "LastModifiedDate": "2025-12-01T00:00:00.000Z",
    "SystemModstamp": "2025-12-01T00:00:00.000Z",
    "IsDeleted": False,
}

CLEO = {
    "Id": CONTACT_CLEO,
    "AccountId": ACCOUNT_A,
    "Email": "cleo@a.example",
    "FirstName": "Cleo",
    "LastName": "Crm",
    "HasOptedOutOfEmail": False,
    "CreatedDate": "2026-02-10T03:00:00.000Z",
    "LastModifiedDate": "2026-02-10T03:00:00.000Z",
    "SystemModstamp": "2026-02-10T03:00:00.000Z",
    "IsDeleted": False,
}


def d(day: str) -> date:
    return date.fromisoformat(day)


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("journey")
    raw = root / "raw"
    land(raw, "crm/accounts", "2025-12-01", [ACCOUNT], {})
    land(raw, "crm/contacts", "2026-02-10", [CLEO], {})
    land(raw, "events/messages", "2026-03-31", MESSAGES, {})
    return build(
        root / "build",
        raw,
        "--select",
        "+fct_person_journey",
        "+fct_person_stage_changes",
        "+int_company_people_stages",
        "+dim_people_contact_details",
        *OUTPUTS_ONLY,
    )


def people(run: DbtRun) -> dict[str, str]:
    """first name or user id -> person_key."""
    rows = run.query(
        "select coalesce(lower(first_name), user_id), person_key"
        " from personal.dim_people_contact_details"
    )
    keys = {str(name): str(key) for name, key in rows}
    return {
        "ada": keys["u-ada"],
        "bob": keys["u-bob"],
        "cleo": keys["cleo"],
        "dan": keys["u-dan"],
        "eve": keys["u-eve"],
    }


def test_each_stage_is_first_reached_on_the_day_worked_out_by_hand(journey: DbtRun) -> None:
    names = {key: name for name, key in people(journey).items()}
    rows = journey.query(
        "select person_key, signed_up_date, activated_date, engaged_date, power_user_date,"
        " dormant_date, as_of_date from marts.fct_person_journey"
    )
    got = {names[key]: tuple(rest) for key, *rest in rows}
    assert got == {
        "ada": (d("2026-01-02"), d("2026-01-05"), d("2026-01-19"), d("2026-03-18"), None, AS_OF),
        "bob": (d("2026-01-06"), d("2026-01-07"), d("2026-03-11"), None, d("2026-02-09"), AS_OF),
        "cleo": (d("2026-02-09"), None, None, None, None, AS_OF),
        "dan": (d("2026-01-08"), d("2026-01-08"), None, None, d("2026-03-22"), AS_OF),
        "eve": (d("2026-03-01"), None, None, None, None, AS_OF),
    }


def test_the_current_stage_follows_the_precedence(journey: DbtRun) -> None:
    names = {key: name for name, key in people(journey).items()}
    rows = journey.query(
        "select person_key, current_stage, current_stage_since, days_in_current_stage,"
        " stage_change_count, features_in_window, last_active_date"
        " from marts.fct_person_journey"
    )
    got = {names[key]: tuple(rest) for key, *rest in rows}
    assert got == {
        "ada": ("power_user", d("2026-03-18"), 13, 4, 3, AS_OF),
        "bob": ("activated", d("2026-03-23"), 8, 6, 1, d("2026-03-11")),
        "cleo": ("signed_up", d("2026-02-09"), 50, 1, 0, None),
        "dan": ("dormant", d("2026-03-22"), 9, 2, 0, d("2026-02-20")),
        "eve": ("signed_up", d("2026-03-01"), 30, 1, 0, d("2026-03-05")),
    }


def test_stage_changes_include_the_return_from_dormant(journey: DbtRun) -> None:
    names = {key: name for name, key in people(journey).items()}
    rows = journey.query(
        "select person_key, change_number, from_stage, to_stage, changed_on,"
        " days_in_previous_stage from marts.fct_person_stage_changes"
        " order by person_key, change_number"
    )
    got: dict[str, list[tuple[Any, ...]]] = {}
    for key, number, *rest in rows:
        got.setdefault(names[key], []).append((number, *rest))
    assert got == {
        "ada": [
            (1, None, "signed_up", d("2026-01-02"), None),
            (2, "signed_up", "activated", d("2026-01-05"), 3),
            (3, "activated", "engaged", d("2026-01-19"), 14),
            (4, "engaged", "power_user", d("2026-03-18"), 58),
        ],
        "bob": [
            (1, None, "signed_up", d("2026-01-06"), None),
            (2, "signed_up", "activated", d("2026-01-07"), 1),
            (3, "activated", "dormant", d("2026-02-09"), 33),
            (4, "dormant", "activated", d("2026-02-25"), 16),
            (5, "activated", "engaged", d("2026-03-11"), 14),
            (6, "engaged", "activated", d("2026-03-23"), 12),
        ],
        "cleo": [(1, None, "signed_up", d("2026-02-09"), None)],
        "dan": [
            (1, None, "activated", d("2026-01-08"), None),
            (2, "activated", "dormant", d("2026-03-22"), 73),
        ],
        "eve": [(1, None, "signed_up", d("2026-03-01"), None)],
    }
    # the last change of each person is their current stage
    assert journey.query(
        "select count(*) from marts.fct_person_journey as journeys"
        " left join (select person_key, to_stage from marts.fct_person_stage_changes"
        " qualify row_number() over (partition by person_key order by change_number desc) = 1)"
        " as last_changes using (person_key)"
        " where journeys.current_stage is distinct from last_changes.to_stage"
    ) == [(0,)]


def test_sign_ups_take_the_earlier_source_on_the_company_clock(journey: DbtRun) -> None:
    keys = people(journey)
    rows = dict(
        (key, (signed_up_date, str(signed_up_at)))
        for key, signed_up_date, signed_up_at in journey.query(
            "select person_key, signed_up_date, signed_up_at from intermediate.int_person_sign_ups"
        )
    )
    assert rows[keys["cleo"]] == (d("2026-02-09"), "2026-02-10 03:00:00")
    assert rows[keys["ada"]] == (d("2026-01-02"), "2026-01-02 15:00:00")


def test_the_company_roll_up_counts_people_by_current_stage(journey: DbtRun) -> None:
    assert journey.query(
        "select identifiers.identifier_value, people_signed_up, people_activated,"
        " people_engaged, people_power_user, people_dormant"
        " from intermediate.int_company_people_stages as stages"
        " inner join intermediate.int_company_identifiers as identifiers"
        " on stages.company_key = identifiers.company_key"
        " and identifiers.identifier_type = 'crm_account_id'"
    ) == [(ACCOUNT_A, 2, 1, 0, 1, 1)]
