"""Every query of docs/analyst-guide.md runs against a published analytics file and its
answer is checked against the marts it summarises; the DuckDB CLI reads that file.

The guide marks each query with ``<!-- query: ID -->`` before its fence; CHECKS holds
one check per ID (a query without a check, or a check without a query, fails). The
checks recompute each answer another way, or test a property the answer must have on
any data; on the tiny landing zone most answers are known to be non-empty.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shared_builds import Published

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst-guide.md"
MARKED = re.compile(r"<!-- query: ([a-z0-9-]+) -->\n```sql\n(.*?)```", re.DOTALL)
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
CENT = Decimal("0.01")

Con = duckdb.DuckDBPyConnection


def guide_queries() -> dict[str, str]:
    """The marked queries of the guide, by id (each id once, every sql fence marked)."""
    text = GUIDE.read_text(encoding="utf-8")
    found = MARKED.findall(text)
    ids = [qid for qid, _ in found]
    assert len(ids) == len(set(ids)), f"duplicate query ids: {Counter(ids).most_common(3)}"
    assert text.count("```sql") == len(found), "a ```sql block without <!-- query: ID -->"
    return dict(found)


@dataclass(frozen=True)
class Answer:
    columns: list[str]
    rows: list[dict[str, Any]]

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows]


def ask(con: Con, sql: str) -> Answer:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description or []]
    return Answer(columns, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])


def one(con: Con, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchall()[0]
    assert row is not None
    return row[0]


def as_of_dates(con: Con) -> tuple[dt.date, dt.date]:
    """(billing_as_of_date, activity_as_of_date): the data's today."""
    row = con.execute(
        "select max(billing_as_of_date), max(activity_as_of_date) from marts.customer_360"
    ).fetchall()[0]
    assert row is not None
    return row[0], row[1]


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def descending(values: list[Any]) -> bool:
    return all(a >= b for a, b in itertools.pairwise(values))


# --------------------------------------------------------------------------- checks
# Each check takes (answer, connection, the query's SQL).


def check_top_customers(answer: Answer, con: Con, _sql: str) -> None:
    assert 1 <= len(answer.rows) <= 10
    mrr = answer.column("mrr_reporting")
    assert all(m > 0 for m in mrr) and descending(mrr)
    billing_day, _ = as_of_dates(con)
    for row in answer.rows:  # the same MRR as the daily MRR of the latest billing extract
        daily = one(
            con,
            "select sum(mrr_reporting) from marts.fct_mrr_daily"
            " where company_key = ? and mrr_date = ?",
            [row["company_key"], billing_day],
        )
        assert abs(daily - row["mrr_reporting"]) <= CENT, row["company_name"]
    higher = one(
        con,
        "select count(*) from marts.customer_360 where not is_deleted and mrr_reporting > ?",
        [mrr[-1]],
    )
    assert higher < len(answer.rows)  # nobody left out pays more than the last one listed


def check_open_pipeline(answer: Answer, con: Con, _sql: str) -> None:
    count, amount = con.execute(
        "select count(*), sum(amount_reporting) from marts.fct_opportunities"
        " where not is_closed and not is_deleted"
    ).fetchall()[0]
    assert count > 0
    assert sum(answer.column("open_opportunities")) == count
    assert abs(sum(answer.column("open_pipeline_reporting")) - amount) <= CENT
    assert len(set(answer.column("owner_name"))) == len(answer.rows)
    for row in answer.rows:
        assert 0 <= row["expected_revenue_reporting"] <= row["open_pipeline_reporting"]


def check_paying_by_sector(answer: Answer, con: Con, _sql: str) -> None:
    paying, mrr = con.execute(
        "select count(*), sum(mrr_reporting) from marts.customer_360"
        " where lifecycle_stage = 'paying'"
    ).fetchall()[0]
    assert paying > 0
    assert sum(answer.column("paying_customers")) == paying  # each company in one sector
    assert abs(sum(answer.column("mrr_reporting")) - mrr) <= CENT
    assert len(set(answer.column("sector"))) == len(answer.rows)


def _usage_windows(con: Con, days: int) -> dict[str, tuple[int, int]]:
    """Per company (events in the window before, events in the last window), in Python."""
    _, as_of = as_of_dates(con)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = con.execute(
        "select company_key, local_date, event_count from marts.fct_company_activity_daily"
    ).fetchall()
    for company, day, events in rows:
        age = (as_of - day).days
        if 0 <= age < days:
            totals[company][1] += int(events)
        elif days <= age < 2 * days:
            totals[company][0] += int(events)
    return {k: (v[0], v[1]) for k, v in totals.items()}


def _check_usage_drop(answer: Answer, con: Con, days: int) -> None:
    windows = _usage_windows(con, days)
    dropped = {k for k, (before, last) in windows.items() if last < before}
    assert len(answer.rows) == min(20, len(dropped))
    shares = answer.column("change_share")
    assert shares == sorted(shares)
    for row in answer.rows:
        before, last = windows[row["company_key"]]
        assert (row["events_window_before"], row["events_last_window"]) == (before, last)
        assert row["change"] < 0 and -1 <= row["change_share"] < 0


def check_usage_drop(answer: Answer, con: Con, sql: str) -> None:
    _check_usage_drop(answer, con, 28)
    # tiny holds about a month of events: two fortnights give an answer to check
    marker = "select 28 as window_days"
    assert marker in sql
    fortnights = ask(con, sql.replace(marker, "select 14 as window_days"))
    assert fortnights.rows, "no company's usage fell between the last two fortnights"
    _check_usage_drop(fortnights, con, 14)


def check_health_drops(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    changes = answer.column("score_change")
    assert all(c < 0 for c in changes) and changes == sorted(changes)
    for row in answer.rows:
        week, complete = con.execute(
            "select c.health_week_start, h.is_complete_week"
            " from marts.customer_360 as c join marts.fct_company_health_weekly as h"
            " on h.company_key = c.company_key and h.week_start = ?"
            " where c.company_key = ?",
            [row["week_start"], row["company_key"]],
        ).fetchall()[0]
        assert week == row["week_start"] and complete, row["company_name"]


def check_feature_never_used(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    for row in answer.rows:
        key = [row["company_key"], row["feature"]]
        windows = one(
            con,
            "select count(*) from marts.fct_feature_access_windows"
            " where company_key = ? and feature = ?",
            key,
        )
        used_with_access = one(
            con,
            "select count(*) from marts.fct_feature_usage_daily"
            " where company_key = ? and feature = ? and first_used_with_access_at is not null",
            key,
        )
        assert windows > 0, key  # it had access
        assert used_with_access == 0, key  # and never used it while it had


def check_tickets_per_company(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    _, as_of = as_of_dates(con)
    recent = [
        company
        for company, day in con.execute(
            "select company_key, created_local_date from marts.fct_support_tickets"
            " where company_key is not null"
        ).fetchall()
        if (as_of - day).days < 90
    ]
    assert dict(
        zip(answer.column("company_key"), answer.column("tickets_opened"), strict=True)
    ) == (dict(Counter(recent)))
    for row in answer.rows:
        assert 0 <= row["still_open"] <= row["tickets_opened"]
        assert 0 <= row["rated_bad"] <= row["tickets_opened"]
    assert descending(answer.column("tickets_opened"))


def check_stale_crm(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    stages = dict(
        con.execute("select company_key, lifecycle_stage from marts.customer_360").fetchall()
    )
    for row in answer.rows:
        assert row["age_days"] > row["max_age_days"]
        assert stages[row["company_key"]] == "paying"
        assert row["entity"] in ("company", "person")
    overdue = [r["age_days"] - r["max_age_days"] for r in answer.rows]
    assert descending(overdue)
    judged = one(
        con,
        "select count(*) from marts.rpt_data_staleness"
        " where is_stale and source = 'crm' and lifecycle_stage = 'paying'",
    )
    assert judged == len(answer.rows)


def check_nps_by_industry(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    _, as_of = as_of_dates(con)
    days = con.execute(
        "select local_date from marts.fct_nps_responses where company_key is not null"
    ).fetchall()
    assert sum(answer.column("responses")) == sum(1 for (d,) in days if (as_of - d).days < 90)
    assert len(set(answer.column("sector"))) == len(answer.rows)
    for row in answer.rows:
        assert -100 <= row["nps"] <= 100
        expected = 100 * (row["promoters"] - row["detractors"]) / row["responses"]
        assert row["nps"] == pytest.approx(expected, abs=0.05)


def check_key_account_anomalies(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    for row in answer.rows:
        assert row["direction"] in ("spike", "drop")
        flags = con.execute(
            "select is_anomaly, is_complete_period from marts.fct_metric_anomalies"
            " where company_key = ? and metric = ? and grain = ? and period_start = ?",
            [row["company_key"], row["metric"], row["grain"], row["period_start"]],
        ).fetchall()[0]
        assert flags == (True, True)
        latest = one(
            con,
            "select max(period_start) from marts.fct_metric_anomalies"
            " where metric = ? and grain = ? and is_complete_period",
            [row["metric"], row["grain"]],
        )
        assert row["period_start"] == latest


def check_nrr_by_sector(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    billing_day, _ = as_of_dates(con)
    quarter_start = dt.date(billing_day.year, (billing_day.month - 1) // 3 * 3 + 1, 1)
    end_month = month_start(quarter_start, 1)  # the last month of the quarter before
    assert set(answer.column("period_end_month")) == {end_month}
    assert set(answer.column("period_start_month")) == {month_start(end_month, 2)}
    assert len(set(answer.column("sector"))) == len(answer.rows)
    for row in answer.rows:
        assert 0 <= row["nrr"] <= 5, row  # a sane bound for a quarter
        assert row["grr"] <= 1 and row["grr"] <= row["nrr"] + 1e-4
        ratio = row["retained_mrr_reporting"] / row["start_mrr_reporting"]
        assert float(ratio) == pytest.approx(row["nrr"], abs=1e-4)


def check_logo_churn(answer: Answer, con: Con, _sql: str) -> None:
    billing_day, _ = as_of_dates(con)
    last_month = month_start(billing_day, 1)
    start, retained = con.execute(
        "select start_customer_count, retained_customer_count from marts.rpt_revenue_retention"
        " where rollup = 'company' and segment_type = 'all' and window_months = 1"
        " and period_end_month = ?",
        [last_month],
    ).fetchall()[0]
    assert start - retained > 0  # tiny loses a customer in its last complete month
    assert len(answer.rows) == start - retained
    assert set(answer.column("month")) == {last_month}
    assert all(lost > 0 for lost in answer.column("lost_mrr_reporting"))
    stages = dict(
        con.execute("select company_key, lifecycle_stage from marts.customer_360").fetchall()
    )
    assert all(stages[k] != "paying" for k in answer.column("company_key"))


def check_mrr_bridge(answer: Answer, con: Con, _sql: str) -> None:
    movements = answer.column("movement")
    assert movements and len(set(movements)) == len(movements)
    assert set(movements) <= {"new", "expansion", "contraction", "churn", "reactivation", "flat"}
    for row in answer.rows:
        if row["fx_effect"] is None:
            continue  # a month without a rate: nothing to reconcile in the reporting currency
        total = row["previous_mrr_reporting"] + row["movement_mrr_reporting"] + row["fx_effect"]
        assert abs(total - row["mrr_reporting"]) <= CENT * row["companies"], row
    billing_day, _ = as_of_dates(con)
    rows = one(
        con,
        "select count(*) from marts.fct_mrr_monthly where month = ?",
        [month_start(billing_day, 1)],
    )
    assert rows >= sum(answer.column("companies"))


def check_daily_active_people(answer: Answer, con: Con, _sql: str) -> None:
    _, as_of = as_of_dates(con)
    days = answer.column("local_date")
    assert 1 <= len(days) <= 28 and days == sorted(days, reverse=True)
    assert all(0 <= (as_of - d).days < 28 for d in days)
    per_day: dict[dt.date, int] = defaultdict(int)
    for day, people in con.execute(
        "select local_date, active_people from marts.fct_company_activity_daily"
    ).fetchall():
        per_day[day] += int(people)
    assert {r["local_date"]: r["active_people"] for r in answer.rows} == {
        d: per_day[d] for d in days
    }
    assert days[0] == as_of


def check_signup_to_key_event(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    both = one(
        con,
        "select count(*) from marts.fct_person_journey"
        " where activated_date is not null and signed_up_date is not null",
    )
    assert sum(answer.column("people_activated")) == both
    for row in answer.rows:
        assert 0 <= row["median_days"] <= row["p90_days"]
    assert answer.column("median_days") == sorted(answer.column("median_days"))


def check_journey_stages(answer: Answer, con: Con, _sql: str) -> None:
    order = ["signed_up", "activated", "engaged", "power_user", "dormant"]
    stages = answer.column("current_stage")
    assert stages and set(stages) <= set(order)
    assert stages == sorted(stages, key=order.index)
    people = one(
        con, "select count(*) from marts.fct_person_journey where current_stage is not null"
    )
    assert sum(answer.column("people")) == people


def check_campaign_first_touch(answer: Answer, con: Con, _sql: str) -> None:
    assert answer.rows
    assert descending(answer.column("mrr_now_reporting"))
    last_touch = con.execute(
        "select sum(sign_ups), sum(paying_companies), sum(mrr_now_reporting)"
        " from marts.rpt_acquisition_funnel where attribution_model = 'last_touch'"
    ).fetchall()[0]
    first_touch = tuple(
        sum(answer.column(c)) for c in ("sign_ups", "paying_companies", "mrr_now_reporting")
    )
    assert first_touch == last_touch  # both models share out the same totals


def check_company_past_vs_today(answer: Answer, con: Con, _sql: str) -> None:
    sides = answer.column("side")
    assert sides == ["then", "today"]  # tiny's top customer has a version 90 days back
    then, today = answer.rows
    billing_day, _ = as_of_dates(con)
    as_of = dt.datetime.combine(billing_day - dt.timedelta(days=90), dt.time())
    assert then["valid_from"] <= as_of < then["valid_to"]
    assert today["valid_to"] is None
    top = one(
        con,
        "select company_key from marts.customer_360"
        " order by mrr_reporting desc nulls last, company_key limit 1",
    )
    assert then["company_key"] == today["company_key"] == top


def check_last_refresh(answer: Answer, con: Con, _sql: str) -> None:
    assert len(answer.rows) == 1
    run = answer.rows[0]
    assert run["status"] in ("published", "published_with_warnings")
    latest = one(con, "select max(started_at) from ops.refresh_runs")
    assert run["started_at"] == latest


def check_data_issues(answer: Answer, con: Con, _sql: str) -> None:
    assert sum(answer.column("issues")) == one(con, "select count(*) from ops.data_issues")
    pairs = [(r["issue_type"], r["entity_type"]) for r in answer.rows]
    assert len(set(pairs)) == len(pairs)


CHECKS: dict[str, Callable[[Answer, Con, str], None]] = {
    "top-customers-by-mrr": check_top_customers,
    "open-pipeline-by-owner": check_open_pipeline,
    "paying-customers-by-sector": check_paying_by_sector,
    "usage-drop-month-over-month": check_usage_drop,
    "health-drops-this-week": check_health_drops,
    "feature-access-never-used": check_feature_never_used,
    "tickets-per-company": check_tickets_per_company,
    "stale-crm-data-paying": check_stale_crm,
    "nps-by-industry": check_nps_by_industry,
    "key-account-anomalies": check_key_account_anomalies,
    "nrr-last-quarter-by-sector": check_nrr_by_sector,
    "logo-churn-last-month": check_logo_churn,
    "mrr-bridge-last-month": check_mrr_bridge,
    "daily-active-people-local": check_daily_active_people,
    "signup-to-first-key-event-by-plan": check_signup_to_key_event,
    "journey-stages": check_journey_stages,
    "campaign-first-touch-mrr": check_campaign_first_touch,
    "company-past-vs-today": check_company_past_vs_today,
    "last-refresh": check_last_refresh,
    "data-issues": check_data_issues,
}


# --------------------------------------------------------------------------- tests


def test_every_query_has_a_check_and_every_check_a_query() -> None:
    queries = guide_queries()
    assert len(queries) >= 15
    assert sorted(set(queries) - set(CHECKS)) == [], "queries in the guide without a check"
    assert sorted(set(CHECKS) - set(queries)) == [], "checks without a query in the guide"


def test_the_guide_reads_only_the_published_schemas() -> None:
    for qid, sql in guide_queries().items():
        schemas = set(re.findall(r"\b(?:from|join)\s+([a-z_]+)\.", sql))
        assert schemas <= {"marts", "ops"}, (qid, schemas)


@pytest.fixture(scope="module")
def analytics(published_tiny: Published) -> Iterator[Con]:
    con = duckdb.connect(str(published_tiny.analytics), read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture(scope="module")
def answers(analytics: Con) -> dict[str, Answer]:
    return {qid: ask(analytics, sql) for qid, sql in guide_queries().items()}


@pytest.mark.slow
@pytest.mark.parametrize("query_id", sorted(guide_queries()))
def test_the_guide_s_answer(query_id: str, answers: dict[str, Answer], analytics: Con) -> None:
    CHECKS[query_id](answers[query_id], analytics, guide_queries()[query_id])


@pytest.mark.slow
def test_the_last_refresh_is_the_run_that_published(
    answers: dict[str, Answer], published_tiny: Published
) -> None:
    lines = (published_tiny.root / "refresh_runs.jsonl").read_text(encoding="utf-8")
    last = json.loads(lines.splitlines()[-1])
    assert answers["last-refresh"].rows[0]["run_id"] == last["run_id"]


@pytest.mark.slow
def test_the_duckdb_cli_opens_the_analytics_file(published_tiny: Published, analytics: Con) -> None:
    if not DUCKDB_CLI.is_file():
        pytest.skip("the duckdb-cli dev dependency is not installed")
    query = "select count(*) from marts.customer_360"
    done = subprocess.run(
        [
            str(DUCKDB_CLI),
            "-readonly",
            "-csv",
            "-noheader",
            str(published_tiny.analytics),
            "-c",
            query,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == one(analytics, query) > 0
    version = one(
        analytics,
        "select tags['storage_version'] from duckdb_databases()"
        " where database_name = current_database()",
    )
    assert version == "v1.5.0+"
