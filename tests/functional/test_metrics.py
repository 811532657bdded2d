"""The semantic layer answers from the published analytics file what plain SQL over the
marts says: MetricFlow in-process (one engine for the module), one c360 metrics call."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from c360.metrics.layer import SemanticLayer, parse_semantic_layer
from shared_builds import REPO_ROOT, Published

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"


@pytest.fixture(scope="module")
def manifest_path(published_tiny: Published) -> Path:
    return parse_semantic_layer(REPO_ROOT, published_tiny.analytics)


@pytest.fixture(scope="module")
def layer(manifest_path: Path, published_tiny: Published) -> Iterator[SemanticLayer]:
    opened = SemanticLayer(manifest_path, published_tiny.analytics)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def sql(published_tiny: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(published_tiny.analytics), read_only=True)
    yield connection
    connection.close()


def _key(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _number(value: Any) -> float | None:
    return None if value is None else float(value) if isinstance(value, Decimal) else value


def metric_rows(
    layer: SemanticLayer, metrics: Sequence[str], group_by: Sequence[str]
) -> dict[tuple[Any, ...], tuple[float | None, ...]]:
    table = layer.query(metrics, group_by)
    width = len(group_by)
    return {
        tuple(_key(cell) for cell in row[:width]): tuple(_number(cell) for cell in row[width:])
        for row in table.rows
    }


def sql_rows(
    connection: duckdb.DuckDBPyConnection, query: str, width: int
) -> dict[tuple[Any, ...], tuple[float | None, ...]]:
    return {
        tuple(_key(cell) for cell in row[:width]): tuple(_number(cell) for cell in row[width:])
        for row in connection.execute(query).fetchall()
    }


def assert_same(got: dict[Any, Any], expected: dict[Any, Any]) -> None:
    assert expected, "the plain SQL found nothing to compare"
    assert set(got) == set(expected)
    for key, values in expected.items():
        for have, want in zip(got[key], values, strict=True):
            if want is None:
                assert have is None, key
            else:
                assert have == pytest.approx(want, rel=1e-9, abs=1e-6), key


def test_mrr_by_month(layer: SemanticLayer, sql: duckdb.DuckDBPyConnection) -> None:
    got = metric_rows(layer, ["mrr", "arr"], ["metric_time__month"])
    expected = sql_rows(
        sql,
        "select month, sum(mrr_reporting), 12 * sum(mrr_reporting)"
        " from marts.fct_mrr_monthly group by month",
        1,
    )
    assert_same(got, expected)
    # the latest month is customer_360's MRR today
    latest = max(got)
    (today,) = sql.execute("select sum(mrr_reporting) from marts.customer_360").fetchone() or ()
    assert got[latest][0] == pytest.approx(float(today))
    assert float(today) > 0


def test_mrr_by_industry_sector_by_month(
    layer: SemanticLayer, sql: duckdb.DuckDBPyConnection
) -> None:
    got = metric_rows(layer, ["mrr"], ["metric_time__month", "company__industry_sector"])
    expected = sql_rows(
        sql,
        """
        select m.month, c.industry_sector, sum(m.mrr_reporting)
        from marts.fct_mrr_monthly as m
        left join marts.customer_360 as c using (company_key)
        group by all
        """,
        2,
    )
    assert_same(got, expected)
    assert len({sector for _, sector in got if sector is not None}) >= 2


def test_nrr_grr_and_logo_churn(layer: SemanticLayer, sql: duckdb.DuckDBPyConnection) -> None:
    got = metric_rows(layer, ["nrr", "grr", "logo_churn_rate", "nrr_12m"], ["metric_time__month"])
    expected = sql_rows(
        sql,
        """
        select r.period_end_month, r.net_revenue_retention, r.gross_revenue_retention,
            1 - r.logo_retention, y.net_revenue_retention
        from marts.rpt_revenue_retention as r
        left join marts.rpt_revenue_retention as y
            on y.period_end_month = r.period_end_month and y.rollup = 'company'
            and y.window_months = 12 and y.segment_type = 'all'
        where r.rollup = 'company' and r.window_months = 1 and r.segment_type = 'all'
        """,
        1,
    )
    assert_same(got, expected)


def test_active_people_weekly_and_rolling(
    layer: SemanticLayer, sql: duckdb.DuckDBPyConnection
) -> None:
    got = metric_rows(layer, ["active_people"], ["metric_time__week"])
    expected = sql_rows(
        sql,
        "select date_trunc('week', local_date), count(distinct person_key)"
        " from marts.fct_events group by 1",
        1,
    )
    assert_same(got, expected)
    rolling = metric_rows(layer, ["active_people_7d"], ["metric_time__day"])
    (last_day,) = sql.execute("select max(local_date) from marts.fct_events").fetchone() or ()
    (window,) = (
        sql.execute(
            "select count(distinct person_key) from marts.fct_events"
            " where local_date between ? - interval 6 day and ?",
            [last_day, last_day],
        ).fetchone()
        or ()
    )
    assert rolling[(last_day,)] == (window,)


def test_nps_by_month(layer: SemanticLayer, sql: duckdb.DuckDBPyConnection) -> None:
    got = metric_rows(layer, ["nps", "nps_responses"], ["metric_time__month"])
    expected = sql_rows(
        sql,
        """
        select date_trunc('month', local_date),
            100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6))
                / count(*),
            count(*)
        from marts.fct_nps_responses group by 1
        """,
        1,
    )
    assert_same(got, expected)


def test_tickets_per_company_by_month(layer: SemanticLayer, sql: duckdb.DuckDBPyConnection) -> None:
    got = metric_rows(layer, ["tickets_per_company"], ["metric_time__month"])
    expected = sql_rows(
        sql,
        """
        with tickets as (
            select date_trunc('month', created_local_date) as month, count(*) as opened
            from marts.fct_support_tickets where company_key is not null group by 1
        ),
        active as (
            select date_trunc('month', local_date) as month,
                count(distinct company_key) filter (where event_count > 0) as companies
            from marts.fct_company_activity_daily group by 1
        )
        select coalesce(t.month, a.month), t.opened / nullif(a.companies, 0)
        from tickets as t full outer join active as a on t.month = a.month
        """,
        1,
    )
    assert_same(got, expected)
    assert any(value is not None and value > 0 for (value,) in got.values())


def test_feature_adoption_rate_by_feature(
    layer: SemanticLayer, sql: duckdb.DuckDBPyConnection
) -> None:
    got = metric_rows(layer, ["feature_adoption_rate"], ["company_feature__feature"])
    expected = sql_rows(
        sql,
        """
        select feature,
            sum(case when has_access_at_as_of and adoption_state = 'adopted' then 1 else 0 end)
                / nullif(sum(case when has_access_at_as_of then 1 else 0 end), 0)
        from marts.fct_feature_adoption group by feature
        """,
        1,
    )
    assert_same(got, expected)


def test_time_to_first_key_event_by_sign_up_month(
    layer: SemanticLayer, sql: duckdb.DuckDBPyConnection
) -> None:
    got = metric_rows(layer, ["time_to_first_key_event"], ["metric_time__month"])
    expected = sql_rows(
        sql,
        "select date_trunc('month', signed_up_date), avg(activated_date - signed_up_date)"
        " from marts.fct_person_journey group by 1",
        1,
    )
    assert_same(got, expected)


def test_every_metric_has_a_label_and_a_description(manifest_path: Path) -> None:
    metrics = json.loads(manifest_path.read_text(encoding="utf-8"))["metrics"]
    assert len(metrics) >= 20
    assert [m["name"] for m in metrics if not (m.get("description") or "").strip()] == []
    assert [m["name"] for m in metrics if not (m.get("label") or "").strip()] == []


def test_docs_list_exactly_the_metrics_defined(manifest_path: Path) -> None:
    metrics = {m["name"] for m in json.loads(manifest_path.read_text(encoding="utf-8"))["metrics"]}
    text = (REPO_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.MULTILINE))
    assert documented == metrics


def test_c360_metrics_query_answers_mrr_by_sector(published_tiny: Published) -> None:
    done = subprocess.run(
        [
            str(C360),
            "metrics",
            "query",
            "--metrics",
            "mrr",
            "--group-by",
            "metric_time__month,company__industry_sector",
        ],
        env=published_tiny.env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    header, _rule, *rows = done.stdout.splitlines()
    assert header.split() == ["metric_time__month", "company__industry_sector", "mrr"]
    assert rows and all(re.match(r"\d{4}-\d{2}-01 ", row) for row in rows)
    refused = subprocess.run(
        [str(C360), "metrics", "query", "--metrics", "no_such_metric"],
        env=published_tiny.env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith("c360: error: metric query refused")
