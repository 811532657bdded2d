"""``c360 report``'s logic without a build: the choices over rows (movement order and
sign, biggest drops, the retention window, stage order), the "no data" page on analytics
files made by hand with duckdb, and its one-line errors."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest

from c360.cli import main
from c360.progress import Progress
from c360.report import figures, queries, sections
from c360.report.queries import HealthChange, MrrMonth, RetentionPoint
from c360.report.run import run_report

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)

# Every table the report reads, with the columns it reads (types as the contracts say).
TABLES = {
    "marts.customer_360": "company_key varchar, company_name varchar, reporting_currency"
    " varchar, billing_as_of_date date, activity_as_of_date date",
    "marts.fct_mrr_monthly": "company_key varchar, month date, is_latest_month boolean,"
    " movement varchar, reporting_currency varchar, mrr_reporting decimal(18,4),"
    " movement_mrr_reporting decimal(18,4), fx_effect decimal(18,4)",
    "marts.rpt_revenue_retention": "rollup varchar, segment_type varchar, window_months"
    " integer, period_end_month date, net_revenue_retention double, gross_revenue_retention"
    " double, logo_retention double, start_customer_count bigint",
    "marts.fct_company_health_weekly": "company_key varchar, week_start date,"
    " is_complete_week boolean, band varchar, score double, score_change double,"
    " driver varchar, driver_contribution double",
    "marts.rpt_acquisition_funnel": "attribution_model varchar, channel varchar, visitors"
    " bigint, sign_ups bigint, activated_people bigint, paying_companies bigint",
    "marts.fct_feature_adoption": "company_key varchar, feature varchar, adoption_state varchar",
    "marts.rpt_data_staleness": "entity varchar, attribute varchar, is_stale boolean",
    "ops.data_issues": "issue_type varchar",
    "ops.rejected_rows": "source_table varchar",
    "ops.incomplete_partitions": "system varchar, table_name varchar, is_current boolean",
    "ops.refresh_runs": "run_id varchar, started_at timestamp, finished_at timestamp, status"
    " varchar, exit_code integer, message varchar, rejected_rows bigint,"
    " incomplete_partitions bigint, tests_failed bigint, tests_warned bigint, warnings json,"
    " stage_seconds json",
}


def _analytics(path: Path, tables: dict[str, str], sql: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema ops")
        for name, columns in tables.items():
            con.execute(f"create table {name} ({columns})")
        if sql:
            con.execute(sql)
    return path


def _quiet() -> Progress:
    return Progress(command="report", stream=io.StringIO())


def _page(analytics: Path, tmp_path: Path) -> str:
    out = run_report(analytics, tmp_path / "out" / "report.html", _quiet())
    return out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- MRR movements


def test_movements_keep_their_order_and_sign_whatever_the_rows_say() -> None:
    rows = [
        # month, is_latest, movement, mrr, movement_mrr, fx_effect, unconverted
        (FEB, True, "churn", 0, 50, None, 0),  # a churn the source gave a + sign
        (FEB, True, "new", 200, 200, 1.5, 0),
        (FEB, True, "flat", 100, 0, -0.5, 1),
        (JAN, False, "expansion", 100, 40, 0, 0),
        (JAN, False, "contraction", 80, -20, 0, 0),
    ]
    months = queries.mrr_months(rows)
    assert [m.month for m in months] == [JAN, FEB]
    assert [list(m.movements) for m in months] == [
        ["new", "expansion", "reactivation", "contraction", "churn"]
    ] * 2
    assert months[0].movements == {
        "new": 0.0,
        "expansion": 40.0,
        "reactivation": 0.0,
        "contraction": -20.0,
        "churn": 0.0,
    }
    feb = months[1]
    assert (feb.movements["new"], feb.movements["churn"]) == (200.0, -50.0)
    assert (feb.mrr, feb.fx_effect, feb.unconverted_rows, feb.is_latest) == (300.0, 1.0, 1, True)


def test_mrr_figure_draws_the_line_then_growth_up_and_losses_down() -> None:
    months = queries.mrr_months(
        [(JAN, False, "new", 100, 100, 0, 0), (FEB, True, "churn", 0, -100, 0, 0)]
    )
    fig = figures.mrr_movements(months, "usd")
    names = [t.name for t in fig.data]
    assert names == [
        "MRR (end of month)",
        "new",
        "expansion",
        "reactivation",
        "contraction",
        "churn",
    ]
    assert fig.layout.barmode == "relative"
    bars = {t.name: list(t.y) for t in fig.data[1:]}
    assert bars["new"] == [100.0, 0.0] and bars["churn"] == [0.0, -100.0]
    assert list(fig.data[0].y) == [100.0, 0.0]


def test_no_mrr_is_no_figure() -> None:
    assert figures.mrr_movements([], "usd") is None
    flat = MrrMonth(JAN, False, 0.0, dict.fromkeys(["new", "churn"], 0.0), 0.0, 0)
    assert figures.mrr_movements([flat], "usd") is None


# --------------------------------------------------------------------------- health drops


def _change(name: str, change: float | None) -> HealthChange:
    return HealthChange(name, "watch", 50.0, change, "support", change)


def test_biggest_drops_are_the_largest_falls_first_ties_by_name() -> None:
    changes = [
        _change("rise", 5.0),
        _change("none", None),
        _change("same", 0.0),
        _change("b small", -1.0),
        _change("a big", -9.0),
        _change("c big", -9.0),
        _change("medium", -4.0),
    ]
    drops = queries.biggest_drops(changes, limit=3)
    assert [d.company_name for d in drops] == ["a big", "c big", "medium"]
    assert [d.company_name for d in queries.biggest_drops(changes)] == [
        "a big",
        "c big",
        "medium",
        "b small",
    ]


def test_health_reads_the_latest_complete_week_only(tmp_path: Path) -> None:
    path = _analytics(
        tmp_path / "a.duckdb",
        TABLES,
        """
        insert into marts.customer_360 (company_key, company_name) values
            ('c1', 'Acme'), ('c2', 'Globex');
        insert into marts.fct_company_health_weekly values
            ('c1', '2026-03-02', true, 'healthy', 90, null, null, null),
            ('c1', '2026-03-09', true, 'watch', 60, -30, 'support', -25),
            ('c2', '2026-03-09', true, 'healthy', 80, 2, 'nps', 2),
            ('c3', '2026-03-09', true, 'at_risk', 20, -5, 'usage_recency', -5),
            ('c1', '2026-03-16', false, 'at_risk', 10, -50, 'support', -50);
        """,
    )
    with duckdb.connect(str(path), read_only=True) as con:
        health = queries.health(con)
    assert health is not None
    assert health.week_start == dt.date(2026, 3, 9)
    assert health.bands == {"healthy": 1, "watch": 1, "at_risk": 1}
    drops = queries.biggest_drops(health.changes)
    assert [(d.company_name, d.score_change) for d in drops] == [("Acme", -30), ("c3", -5)]


# --------------------------------------------------------------------------- retention, stages


def _point(window: int, nrr: float | None) -> RetentionPoint:
    return RetentionPoint(MAR, window, nrr, nrr, nrr, 3)


def test_retention_window_is_the_longest_with_a_value() -> None:
    assert queries.pick_window([_point(1, 1.0), _point(3, 1.1), _point(12, 0.9)]) == 12
    assert queries.pick_window([_point(1, 1.0), _point(3, 1.1), _point(12, None)]) == 3
    assert queries.pick_window([_point(12, None)]) is None


def test_stages_come_in_the_order_the_refresh_runs_them() -> None:
    stages = {"publish": 1, "build": 70.5, "zeta": 2, "seeds_check": 0.2, "odd": "x", "t": True}
    # known stages in run order, then unknown ones by name; not-a-number values dropped
    assert queries.ordered_stages(stages) == {
        "seeds_check": 0.2,
        "build": 70.5,
        "publish": 1.0,
        "zeta": 2.0,
    }
    assert list(queries.ordered_stages(stages)) == ["seeds_check", "build", "publish", "zeta"]


# --------------------------------------------------------------------------- no data


def test_empty_tables_give_a_no_data_note_per_section_and_no_chart(tmp_path: Path) -> None:
    html = _page(_analytics(tmp_path / "a.duckdb", TABLES), tmp_path)
    assert 'class="plotly-graph-div"' not in html
    for section_id in sections.SECTION_IDS:
        start = html.index(f'<section id="{section_id}">')
        body = html[start : html.index("</section>", start)]
        assert "No data:" in body, section_id
    assert "ops.rejected_rows is empty" in html
    assert html.count("* plotly.js v") == 1  # still a working page


def test_a_file_without_the_marts_says_which_table_is_missing(tmp_path: Path) -> None:
    html = _page(_analytics(tmp_path / "a.duckdb", {}), tmp_path)
    assert "No data: marts.fct_mrr_monthly is not in the analytics file" in html
    assert "No data: ops.refresh_runs is not in the analytics file" in html
    assert 'class="plotly-graph-div"' not in html


def test_one_row_per_section_draws_every_chart(tmp_path: Path) -> None:
    path = _analytics(
        tmp_path / "a.duckdb",
        TABLES,
        """
        insert into marts.customer_360 values ('c1', 'Acme', 'eur', '2026-03-31', '2026-03-30');
        insert into marts.fct_mrr_monthly values
            ('c1', '2026-03-01', true, 'new', 'eur', 100, 100, 0);
        insert into marts.rpt_revenue_retention values
            ('ultimate_parent', 'all', 1, '2026-03-01', 1.1, 0.9, 1, 4),
            ('company', 'all', 1, '2026-03-01', 5, 5, 5, 4);
        insert into marts.fct_company_health_weekly values
            ('c1', '2026-03-09', true, 'watch', 60, -30, 'support', -25);
        insert into marts.rpt_acquisition_funnel values ('first_touch', 'email', 10, 2, 1, 1);
        insert into marts.fct_feature_adoption values ('c1', 'sso', 'adopted');
        insert into marts.rpt_data_staleness values ('company', 'website', true);
        insert into ops.data_issues values ('missing_fx_rate');
        insert into ops.rejected_rows values ('crm/accounts');
        insert into ops.incomplete_partitions values ('crm', 'accounts', true);
        insert into ops.refresh_runs values ('r1', '2026-04-01 03:30:00', '2026-04-01 03:32:00',
            'published', 0, null, 0, 0, 0, 0, '[]', '{"build": 90.5, "seeds_check": 0.5}');
        """,
    )
    html = _page(path, tmp_path)
    assert "No data" not in html
    assert html.count('class="plotly-graph-div"') == 11
    assert "110.0%" in html  # the ultimate_parent roll-up's NRR, not the company one
    assert "EUR" in html and "2026-04-01 03:32 UTC (published)" in html


# --------------------------------------------------------------------------- errors


def test_a_missing_analytics_file_is_exit_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "analytics.duckdb"
    monkeypatch.setenv("C360_ANALYTICS_DB", str(missing))
    assert main(["report", "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("c360: error: ") and str(missing) in err[0]
    assert not (tmp_path / "r.html").exists()


def test_a_file_that_is_no_duckdb_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "analytics.duckdb"
    bad.write_text("not a database\n", encoding="utf-8")
    monkeypatch.setenv("C360_ANALYTICS_DB", str(bad))
    assert main(["-q", "report"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "cannot open it read-only" in err[0]


def test_default_out_is_beside_the_analytics_file_and_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    analytics = _analytics(tmp_path / "wh" / "analytics.duckdb", TABLES)
    monkeypatch.setenv("C360_ANALYTICS_DB", str(analytics))
    assert main(["report"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(tmp_path / "wh" / "report.html")
    assert (tmp_path / "wh" / "report.html").is_file()
    assert [line.split(":")[0] for line in captured.err.splitlines()] == [
        "[c360] report read",
        "[c360] report charts",
        "[c360] report write",
    ]


def test_an_out_that_cannot_be_written_is_one_line_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    analytics = _analytics(tmp_path / "analytics.duckdb", TABLES)
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    monkeypatch.setenv("C360_ANALYTICS_DB", str(analytics))
    assert main(["-q", "report", "--out", str(tmp_path / "a_file" / "r.html")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the report" in err[0]
