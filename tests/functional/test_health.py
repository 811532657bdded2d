"""NPS, company health and acquisition from a hand-made landing zone, checked against
figures worked out by hand below (doc blocks `health_score_rules`, `acquisition_rules`;
seeds/health_score_model.csv and channel_groups.csv as shipped).

Company A (workspace ws_a, zone America/New_York): Ada, its only active person, makes a
report every Monday, Tuesday and Wednesday from 5 January to 25 March 2026 (15:00 UTC, the
same day in New York), and one more on Sunday 29 March: the as-of date, so the week of 23
March is complete; a page view on Monday 30 March opens the as-of week, provisional,
which customer_360 does not show. Company B is a CRM account with one contact, Bob,
and no activity: no health weeks.

NPS answers: Ada (by user id) 10 on 10 February and 7 on 12 February with a comment; Bob
(by e-mail, typed in capitals) 3 on 11 February; someone known only by the survey's
e-mail 8 (a person of no company).

Health of A, week by week. From the first week recency (active within 7 days),
frequency (1 active of a seat base of 1: her own peak) and support (no tickets) score 100;
no plan features (no billing) and no billing: those two are not measured. From the week
of 2 February (4 weeks of history) trend and team growth are measured, at 100: nothing
moves, no driver. Week of 9 February: the first answers (1 promoter, 1 passive: NPS 50,
score 75) join: weights measured 0.75, score (15 + 20 + 10 + 7.5 + 10 + 10) / 0.75 = 96.7,
driver nps, which moved it by 0.1 x (75 - 100) / 0.75 = -3.3. Week of 23 March: 4 tickets
opened on 24 March: support 100 - 4 x 5 = 80, score 70.5 / 0.75 = 94.0, change -2.7, driver
support (its own change -20).

Acquisition: Cy visits twice before signing up (Google CPC "brand", then a newsletter
"launch"), signs up on 2 February and joins company C, then arrives once more from LinkedIn:
first touch paid_search/brand, last touch before sign-up email/launch (the funnel's
first_touch and last_touch rows), and C's first touch is Cy's. Zed visits from G2 (referral)
and Yan from a podcast no channel rule knows (unassigned); neither signs up. Ada and Bob
have no touch: direct, (none).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land

pytestmark = pytest.mark.slow

ACCOUNT_A = "001000000000000AAA"
ACCOUNT_B = "001000000000000BBB"
ACCOUNT_C = "001000000000000CCC"


def account(account_id: str, app_account_id: str) -> dict[str, Any]:
    at = "2025-12-01T00:00:00.000Z"
    return {
        "Id": account_id,
        "Name": f"Company {account_id[-1]}",
        "Type": "Customer",
        "App_Account_Id__c": app_account_id,
        "Time_Zone__c": "America/New_York",
        "CreatedDate": at,
        "LastModifiedDate": at,
        "SystemModstamp": at,
        "IsDeleted": False,
    }


BOB = {
    "Id": "003000000000000BOB",
    "AccountId": ACCOUNT_B,
    "Email": "bob@b.example",
    "FirstName": "Bob",
    "LastName": "Crm",
    "HasOptedOutOfEmail": False,
    "CreatedDate": "2026-01-02T00:00:00.000Z",
    "LastModifiedDate": "2026-01-02T00:00:00.000Z",
    "SystemModstamp": "2026-01-02T00:00:00.000Z",
    "IsDeleted": False,
}


def message(message_id: str, kind: str, at: str, **fields: Any) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "type": kind,
        "userId": "u-ada",
        "anonymousId": "dev-ada",
        "timestamp": at,
        "receivedAt": at,
        "context": "{}",
        "properties": "{}",
        "traits": "{}",
        **fields,
    }


def ada_messages() -> list[dict[str, Any]]:
    out = [
        message(
            "ada-identify",
            "identify",
            "2026-01-05T14:00:00Z",
            traits='{"email": "ada@a.example", "name": "Ada"}',
        ),
        message("ada-group", "group", "2026-01-05T14:01:00Z", groupId="ws_a"),
    ]
    day = date(2026, 1, 5)
    while day <= date(2026, 3, 29):
        if day.weekday() < 3 or day == date(2026, 3, 29):
            out.append(
                message(
                    f"ada-report-{day}",
                    "track",
                    f"{day}T15:00:00Z",
                    event="Report Created",
                    properties='{"feature": "reports", "report_id": "r", "format": "pdf"}',
                )
            )
        day += timedelta(days=1)
    return out


def campaign(source: str, medium: str, name: str) -> str:
    return json.dumps({"campaign": {"source": source, "medium": medium, "name": name}})


def cy_messages() -> list[dict[str, Any]]:
    """Cy (company C): two pre-login touches, then signs up; a third touch after."""
    anonymous = {"userId": None, "anonymousId": "dev-cy"}
    return [
        message(
            "cy-ad",
            "page",
            "2026-02-01T10:00:00Z",
            context=campaign("Google", "CPC", "brand"),
            **anonymous,
        ),
        message(
            "cy-mail",
            "page",
            "2026-02-01T12:00:00Z",
            context=campaign("newsletter", "email", "launch"),
            **anonymous,
        ),
        message(
            "cy-identify", "identify", "2026-02-02T10:00:00Z", userId="u-cy", anonymousId="dev-cy"
        ),
        message(
            "cy-group",
            "group",
            "2026-02-02T10:01:00Z",
            userId="u-cy",
            anonymousId="dev-cy",
            groupId="ws_c",
        ),
        message(
            "cy-later",
            "track",
            "2026-02-03T10:00:00Z",
            userId="u-cy",
            anonymousId="dev-cy",
            event="Report Created",
            context=campaign("linkedin", "paid_social", "abm"),
        ),
        # a visitor who never signs up, and a touch no channel rule knows
        message(
            "zed-visit",
            "page",
            "2026-02-05T10:00:00Z",
            userId=None,
            anonymousId="dev-zed",
            context=campaign("g2", "referral", "review"),
        ),
        message(
            "yan-visit",
            "page",
            "2026-02-06T10:00:00Z",
            userId=None,
            anonymousId="dev-yan",
            context=campaign("podcast", "audio", "spring"),
        ),
    ]


def nps(response_id: str, day: str, score: int, **fields: Any) -> dict[str, Any]:
    return {
        "response_id": response_id,
        "survey_id": "nps-2026-02",
        "score": score,
        "submitted_at": f"{day}T15:00:00+00:00",
        **fields,
    }


RESPONSES = [
    nps("r-ada-1", "2026-02-10", 10, user_id="u-ada"),
    nps("r-bob", "2026-02-11", 3, email=" BOB@b.example"),
    nps("r-ada-2", "2026-02-12", 7, user_id="u-ada", comment="Fine, but slow exports"),
    nps("r-unknown", "2026-02-13", 8, email="nobody@elsewhere.example", comment="  "),
]


def ticket(ticket_id: int) -> dict[str, Any]:
    # help-desk local time (America/Los_Angeles): 16:00 UTC, 12:00 in New York
    return {
        "ticket_id": ticket_id,
        "requester_email": "ada@a.example",
        "organization_external_id": ACCOUNT_A,
        "status": "open",
        "priority": "normal",
        "channel": "email",
        "satisfaction_rating": "",
        "created_at": "2026-03-24 09:00:00",
        "updated_at": "2026-03-24 09:00:00",
        "solved_at": None,
    }


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("health")
    raw = root / "raw"
    land(
        raw,
        "crm/accounts",
        "2025-12-01",
        [account(ACCOUNT_A, "ws_a"), account(ACCOUNT_B, "ws_b"), account(ACCOUNT_C, "ws_c")],
        {},
    )
    land(raw, "crm/contacts", "2026-01-02", [BOB], {})
    land(raw, "events/messages", "2026-03-29", ada_messages() + cy_messages(), {})
    land(raw, "support/nps_responses", "2026-03-29", RESPONSES, {})
    land(raw, "support/tickets", "2026-03-29", [ticket(n) for n in range(1, 5)], {})
    monday = message("ada-report-2026-03-30", "track", "2026-03-30T15:00:00Z", event="Page")
    land(raw, "events/messages", "2026-03-30", [monday], {})
    return build(
        root / "build",
        raw,
        "--select",
        "+customer_360",
        "+dim_people",
        "+rpt_acquisition_funnel",
        *OUTPUTS_ONLY,
    )


def company_of(run: DbtRun, crm_account_id: str) -> str:
    [(key,)] = run.query(
        "select company_key from intermediate.int_company_identifiers"
        f" where identifier_type = 'crm_account_id' and identifier_value = '{crm_account_id}'"
    )
    return str(key)


def test_nps_categories_people_and_companies(health: DbtRun) -> None:
    key_a, key_b = company_of(health, ACCOUNT_A), company_of(health, ACCOUNT_B)
    rows = health.query(
        "select response_id, person_key is not null, person_resolved_by, company_key,"
        " company_resolved_by, category, has_comment, local_date"
        " from marts.fct_nps_responses order by response_id"
    )
    assert rows == [
        ("r-ada-1", True, "user_id", key_a, "membership", "promoter", False, date(2026, 2, 10)),
        ("r-ada-2", True, "user_id", key_a, "membership", "passive", True, date(2026, 2, 12)),
        ("r-bob", True, "email", key_b, "membership", "detractor", False, date(2026, 2, 11)),
        # a respondent known only by the survey's e-mail is a person (identity) of no company
        ("r-unknown", True, "email", None, None, "passive", False, date(2026, 2, 13)),
    ]
    # the comment never reaches the marts
    assert health.query(
        "select count(*) from information_schema.columns"
        " where table_schema = 'marts' and column_name = 'comment'"
    ) == [(0,)]
    assert health.query(
        "select company_key, nps_90d, nps_responses_90d from marts.customer_360"
        " where nps_responses_90d > 0 order by company_key"
    ) == sorted([(key_a, 50.0, 2), (key_b, -100.0, 1)])


def test_health_weeks_and_their_drivers(health: DbtRun) -> None:
    key_a = company_of(health, ACCOUNT_A)
    weeks = health.query(
        "select week_start, score, score_change, driver, driver_contribution, driver_change"
        f" from marts.fct_company_health_weekly where company_key = '{key_a}' order by week_start"
    )
    assert len(weeks) == 13
    assert weeks[0] == (date(2026, 1, 5), 100.0, None, None, None, None)
    assert [w for w in weeks if w[3] is not None and w[0] < date(2026, 3, 30)] == [
        (date(2026, 2, 9), 96.7, -3.3, "nps", -3.3, None),
        (date(2026, 3, 23), 94.0, -2.7, "support", -2.7, -20.0),
    ]
    assert health.query(
        "select band, is_complete_week, week_end_date, tickets_opened, support_score,"
        " usage_trend_score, trend_ratio, feature_breadth_score, billing_risk_score, nps"
        f" from marts.fct_company_health_weekly where company_key = '{key_a}'"
        " and week_start = '2026-03-23'"
    ) == [("healthy", True, date(2026, 3, 29), 4, 80.0, 100.0, 4 / 3, None, None, 50.0)]
    assert health.query(
        "select is_complete_week, week_end_date from marts.fct_company_health_weekly"
        f" where company_key = '{key_a}' and week_start = '2026-03-30'"
    ) == [(False, date(2026, 3, 30))]
    # B has neither activity nor billing: no weeks
    assert health.query(
        "select count(*) from marts.fct_company_health_weekly"
        f" where company_key = '{company_of(health, ACCOUNT_B)}'"
    ) == [(0,)]
    assert health.query(
        "select health_score, health_band, health_driver, health_score_change, health_week_start"
        f" from marts.customer_360 where company_key = '{key_a}'"
    ) == [(94.0, "healthy", "support", -2.7, date(2026, 3, 23))]


def test_a_pre_login_touch_is_credited_to_the_person_then_the_company(health: DbtRun) -> None:
    [(cy,)] = health.query("select person_key from marts.dim_people where user_id = 'u-cy'")
    touches = health.query(
        "select message_id, person_key, channel, campaign_name, is_linked"
        " from marts.fct_campaign_touches order by occurred_at"
    )
    assert touches == [
        ("cy-ad", cy, "paid_search", "brand", True),
        ("cy-mail", cy, "email", "launch", True),
        ("cy-later", cy, "paid_social", "abm", True),
        ("zed-visit", None, "referral", "review", False),
        ("yan-visit", None, "unassigned", "spring", False),
    ]
    assert health.query(
        "select first_touch_channel, first_touch_campaign, last_touch_channel,"
        " last_touch_campaign, signed_up_at"
        f" from marts.dim_people where person_key = '{cy}'"
    ) == [("paid_search", "brand", "email", "launch", datetime(2026, 2, 2, 10))]
    assert health.query(
        "select first_touch_channel, first_touch_campaign from marts.customer_360"
        f" where company_key = '{company_of(health, ACCOUNT_C)}'"
    ) == [("paid_search", "brand")]
    funnel = health.query(
        "select attribution_model, channel, campaign_name, cohort_month, visitors, sign_ups"
        " from marts.rpt_acquisition_funnel where channel <> 'direct'"
        " order by attribution_model, channel"
    )
    feb = date(2026, 2, 1)
    assert funnel == [
        ("first_touch", "paid_search", "brand", feb, 1, 1),
        ("first_touch", "referral", "review", feb, 1, 0),
        ("first_touch", "unassigned", "spring", feb, 1, 0),
        # Cy's last touch before signing up; Zed and Yan never signed up: their latest
        ("last_touch", "email", "launch", feb, 1, 1),
        ("last_touch", "referral", "review", feb, 1, 0),
        ("last_touch", "unassigned", "spring", feb, 1, 0),
    ]
    # Ada and Bob have no touch: direct, (none), in their sign-up months, in both models
    assert health.query(
        "select attribution_model, cohort_month, sign_ups from marts.rpt_acquisition_funnel"
        " where channel = 'direct' and campaign_name = '(none)' order by attribution_model"
    ) == [("first_touch", date(2026, 1, 1), 2), ("last_touch", date(2026, 1, 1), 2)]
    # the podcast's source and medium match no rule: what ops.data_issues reports
    assert health.query(
        "select source_key, medium_key, channel, touch_count from"
        " intermediate.int_campaign_channels where is_unassigned"
    ) == [("podcast", "audio", "unassigned", 1)]
