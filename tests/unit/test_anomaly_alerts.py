"""Anomaly alerts of ``c360 refresh`` over a build file made by hand (no dbt build):
key accounts only, recent first anomalies only, each alerted once, and a dead
webhook still leaves the alert in ops.alerts without failing anything."""

from __future__ import annotations

import datetime as dt
import io
import socket
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from c360.build import DbtUsageError
from c360.progress import Progress
from c360.refresh import alerts, anomalies
from c360.refresh.run import Refresh, RefreshPaths

WEEKS = [dt.date(2026, 10, 19), dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9)]

# company_key, metric, grain, period_start, value, median, z, anomaly, continuing, complete
ROWS = [
    # big: an old anomaly (not among the 2 latest complete weeks), two recent ones,
    # a continuing one, and the incomplete week
    ("big", "active_people", "week", WEEKS[0], 30.0, 12.0, 9.1, True, False, True),
    ("big", "key_events", "week", WEEKS[1], 80.0, 20.0, None, True, False, True),
    ("big", "active_people", "week", WEEKS[2], 2.0, 12.0, -6.7, True, False, True),
    ("big", "features_used", "week", WEEKS[1], 9.0, 4.0, 5.0, True, False, True),
    ("big", "features_used", "week", WEEKS[2], 9.0, 4.5, 4.1, True, True, True),
    ("big", "active_people", "week", WEEKS[3], 0.0, 12.0, -8.0, False, False, False),
    # small: a recent anomaly, but its MRR is under the threshold
    ("small", "active_people", "week", WEEKS[2], 0.0, 9.0, -5.0, True, False, True),
]


UNITS = {"active_people": "people", "key_events": "events", "features_used": "features"}


def _filled(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The rows, with every other company, metric and week a quiet complete one (as the
    mart has: every period from the first to the as-of one)."""
    held = {(r[0], r[1], r[3]) for r in rows}
    quiet = [
        (c, m, "week", w, 5.0, 5.0, 0.0, False, False, w != WEEKS[3])
        for c in ("big", "small")
        for m in UNITS
        for w in WEEKS
        if (c, m, w) not in held
    ]
    return rows + quiet


def _build_file(path: Path, rows: list[tuple[object, ...]] = ROWS) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.customer_360"
            " (company_key varchar, company_name varchar, mrr_reporting decimal(18, 4))"
        )
        con.execute(
            "insert into marts.customer_360 values"
            " ('big', 'Big Co', 20000), ('small', 'Small Co', 500), ('none', 'No MRR', null)"
        )
        con.execute(
            "create table marts.fct_metric_anomalies (company_key varchar, metric varchar,"
            " grain varchar, period_start date, value double, baseline_median double,"
            " robust_z double, is_anomaly boolean, is_continuing_anomaly boolean,"
            " is_complete_period boolean, unit varchar, direction varchar)"
        )
        for row in _filled(rows):
            change = float(row[4]) - float(row[5])  # type: ignore[arg-type]
            direction = ("spike" if change > 0 else "drop") if row[7] else None
            con.execute(
                f"insert into marts.fct_metric_anomalies values ({', '.join('?' * 12)})",
                [*row, UNITS[str(row[1])], direction],
            )
    return path


def _refresh(build: Path) -> tuple[Refresh, io.StringIO]:
    root = build.parent
    paths = RefreshPaths(
        project=root,
        raw=root / "raw",
        warehouse=build,
        analytics=root / "analytics.duckdb",
        runs_log=root / "refresh_runs.jsonl",
    )
    out = io.StringIO()
    return Refresh(paths, progress=Progress("refresh", stream=out), problems=out), out


def _alerts(build: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(build), read_only=True) as con:
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in con.execute(
                "select severity, message, webhook_status from ops.alerts order by raised_at"
            ).fetchall()
        ]


def _sent(build: Path) -> set[tuple[str, str, dt.date]]:
    with duckdb.connect(str(build), read_only=True) as con:
        rows = con.execute(
            "select company_key, metric, period_start from ops.sent_anomaly_alerts"
        ).fetchall()
    return {(str(c), str(m), p) for c, m, p in rows}


@pytest.fixture(autouse=True)
def _no_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("C360_ALERT_WEBHOOK", raising=False)


def test_recent_first_anomalies_of_key_accounts_are_alerted_once(tmp_path: Path) -> None:
    build = _build_file(tmp_path / "build.duckdb")
    refresh, _ = _refresh(build)

    refresh.alert_anomalies(Decimal(10000))
    [(severity, message, status)] = _alerts(build)
    assert severity == "anomaly" and status.startswith("no webhook")
    assert message.startswith("3 new metric anomalies on key accounts (MRR >= 10,000")
    # the flat baseline (no z) first, then by |z|; not the old, continuing or small ones
    assert message.splitlines()[1:] == [
        "- Big Co: key_events spike, week of 2026-10-26: 80 events vs usual 20 (flat baseline)",
        "- Big Co: active_people drop, week of 2026-11-02: 2 people vs usual 12 (z -6.7)",
        "- Big Co: features_used spike, week of 2026-10-26: 9 features vs usual 4 (z +5.0)",
    ]
    assert _sent(build) == {
        ("big", "key_events", WEEKS[1]),
        ("big", "active_people", WEEKS[2]),
        ("big", "features_used", WEEKS[1]),
    }

    # nothing new: no second alert
    refresh.alert_anomalies(Decimal(10000))
    assert len(_alerts(build)) == 1

    # the next week completes with an anomaly: only it is alerted
    with duckdb.connect(str(build)) as con:
        con.execute(
            "update marts.fct_metric_anomalies set is_anomaly = true, is_complete_period = true,"
            " direction = 'drop' where company_key = 'big' and metric = 'active_people'"
            " and period_start = ?",
            [WEEKS[3]],
        )
    refresh.alert_anomalies(Decimal(10000))
    assert len(_alerts(build)) == 2
    assert _alerts(build)[1][1].splitlines()[1:] == [
        "- Big Co: active_people drop, week of 2026-11-09: 0 people vs usual 12 (z -8.0)"
    ]
    assert len(_sent(build)) == 4


def test_the_threshold_decides_which_companies_are_key_accounts(tmp_path: Path) -> None:
    build = _build_file(tmp_path / "build.duckdb")
    refresh, _ = _refresh(build)

    refresh.alert_anomalies(Decimal(50000))
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select count(*) from ops.sent_anomaly_alerts").fetchall() == [(0,)]
        assert con.execute(
            "select count(*) from information_schema.tables where table_name = 'alerts'"
        ).fetchall() == [(0,)]

    refresh.alert_anomalies(Decimal(500))  # at the threshold counts
    [(_, message, _)] = _alerts(build)
    assert "Small Co: active_people drop" in message and message.startswith("4 new")
    assert {c for c, _, _ in _sent(build)} == {"big", "small"}


def test_a_dead_webhook_is_recorded_and_fails_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("C360_ALERT_WEBHOOK", f"http://127.0.0.1:{port}/hook")
    monkeypatch.setattr(alerts.time, "sleep", lambda _: None)
    build = _build_file(tmp_path / "build.duckdb")
    refresh, out = _refresh(build)

    refresh.alert_anomalies(Decimal(10000))
    [(severity, _, status)] = _alerts(build)
    assert severity == "anomaly" and status.startswith("failed after 3 tries"), status
    assert len(_sent(build)) == 3  # not retried: the alert is in ops.alerts
    assert "anomaly alerts: 3 rows" in out.getvalue()

    # a build file without the mart (a --select that left it out) fails nothing either
    empty = tmp_path / "empty" / "build.duckdb"
    empty.parent.mkdir()
    duckdb.connect(str(empty)).close()
    refresh, out = _refresh(empty)
    refresh.alert_anomalies(Decimal(10000))
    assert "run log: could not write to" in out.getvalue()


def test_the_message_is_bounded(tmp_path: Path) -> None:
    long_name = "A" * 60
    found = [
        anomalies.Anomaly(
            f"c{i}",
            long_name,
            "mrr",
            "month",
            dt.date(2026, 10, 1),
            "usd",
            0.0,
            1500.5,
            -9.0,
            "drop",
        )
        for i in range(25)
    ]
    text = anomalies.message(found, Decimal(10000))
    lines = text.splitlines()
    assert len(lines) == 1 + anomalies.MAX_LISTED + 1
    assert lines[-1] == "... and 15 more"
    assert (
        lines[1]
        == f"- {'A' * 37}...: mrr drop, month of 2026-10-01: 0 usd vs usual 1,500.5 (z -9.0)"
    )


@pytest.mark.parametrize("text", ["lots", "-1", "nan", "10,000"])
def test_a_bad_threshold_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv(anomalies.ENV_THRESHOLD, text)
    with pytest.raises(DbtUsageError, match=f"{anomalies.ENV_THRESHOLD}="):
        anomalies.key_account_threshold()


def test_the_threshold_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(anomalies.ENV_THRESHOLD, raising=False)
    assert anomalies.key_account_threshold() is None
    monkeypatch.setenv(anomalies.ENV_THRESHOLD, "10000.50")
    assert anomalies.key_account_threshold() == Decimal("10000.50")
