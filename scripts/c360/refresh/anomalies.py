"""Anomaly alerts: new anomalies on key accounts, sent with the refresh's alerts, once each.

A key account is a company whose current MRR in the reporting currency
(``marts.customer_360.mrr_reporting``) is at least ``$C360_ALERT_KEY_ACCOUNT_MRR``;
unset, no anomaly alerts are sent. Of ``marts.fct_metric_anomalies`` only
anomalies of the latest ``RECENT_PERIODS`` complete periods of their metric and
grain count (so a first refresh over years of history does not flood), and only
the first period of a run of anomalies in one direction (``is_continuing_anomaly``
false). What was alerted is kept in ``ops.sent_anomaly_alerts`` in the build file:
a table of its own, not a dbt model, so that ``dbt build --full-refresh`` keeps
it; a (company, metric, grain, period) in it is never alerted again, also when the
webhook was down then (the alert's row in ``ops.alerts`` says so).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import duckdb

from c360.build import DbtUsageError

ENV_THRESHOLD = "C360_ALERT_KEY_ACCOUNT_MRR"
# The latest complete periods of a metric and grain whose anomalies are alerted: the
# last two, so that one missed nightly run still alerts last week's.
RECENT_PERIODS = 2
# The message lists at most this many anomalies (the rest are counted), each with
# the company name cut to NAME_CHARS characters.
MAX_LISTED = 10
NAME_CHARS = 40

SENT_DDL = """
create table if not exists ops.sent_anomaly_alerts (
    company_key varchar,
    metric varchar,
    grain varchar,
    period_start date,
    run_id varchar,
    sent_at timestamp,
    primary key (company_key, metric, grain, period_start)
)
"""

_UNSENT = """
with

key_accounts as (
    select company_key, company_name
    from marts.customer_360
    where mrr_reporting >= ?
),

complete_periods as (
    select distinct metric, grain, period_start
    from marts.fct_metric_anomalies
    where is_complete_period
),

recent as (
    select
        metric,
        grain,
        period_start,
        row_number() over (partition by metric, grain order by period_start desc) as recency
    from complete_periods
)

select
    anomalies.company_key,
    coalesce(key_accounts.company_name, anomalies.company_key) as company_name,
    anomalies.metric,
    anomalies.grain,
    anomalies.period_start,
    anomalies.unit,
    anomalies.value,
    anomalies.baseline_median,
    anomalies.robust_z,
    anomalies.direction
from marts.fct_metric_anomalies as anomalies
inner join key_accounts on anomalies.company_key = key_accounts.company_key
inner join recent
    on anomalies.metric = recent.metric
    and anomalies.grain = recent.grain
    and anomalies.period_start = recent.period_start
    and recent.recency <= ?
left join ops.sent_anomaly_alerts as sent
    on anomalies.company_key = sent.company_key
    and anomalies.metric = sent.metric
    and anomalies.grain = sent.grain
    and anomalies.period_start = sent.period_start
where anomalies.is_anomaly
    and not anomalies.is_continuing_anomaly
    and sent.company_key is null
order by abs(anomalies.robust_z) desc nulls first, company_name, anomalies.metric
"""


@dataclass(frozen=True)
class Anomaly:
    """One anomaly to alert (a row of marts.fct_metric_anomalies)."""

    company_key: str
    company_name: str
    metric: str
    grain: str
    period_start: dt.date
    unit: str | None
    value: float
    baseline_median: float
    robust_z: float | None
    direction: str

    def describe(self) -> str:
        name = self.company_name
        if len(name) > NAME_CHARS:
            name = name[: NAME_CHARS - 3] + "..."
        period = f"{self.grain} of {self.period_start.isoformat()}"
        unit = f" {self.unit}" if self.unit else ""
        z = "flat baseline" if self.robust_z is None else f"z {self.robust_z:+.1f}"
        return (
            f"{name}: {self.metric} {self.direction}, {period}:"
            f" {_number(self.value)}{unit} vs usual {_number(self.baseline_median)} ({z})"
        )


def key_account_threshold() -> Decimal | None:
    """``$C360_ALERT_KEY_ACCOUNT_MRR`` as an amount, or None when unset (no anomaly alerts)."""
    text = os.environ.get(ENV_THRESHOLD) or None
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise DbtUsageError(
            f"{ENV_THRESHOLD}={text!r} is not an amount of MRR in the reporting currency"
            " (e.g. 10000)"
        )
    return amount


def unsent(con: duckdb.DuckDBPyConnection, threshold: Decimal) -> list[Anomaly]:
    """The anomalies to alert now, most unusual first (creates the sent table if needed)."""
    con.execute("create schema if not exists ops")
    con.execute(SENT_DDL)
    rows = con.execute(_UNSENT, [threshold, RECENT_PERIODS]).fetchall()
    return [
        Anomaly(
            company_key=str(r[0]),
            company_name=str(r[1]),
            metric=str(r[2]),
            grain=str(r[3]),
            period_start=r[4],
            unit=None if r[5] is None else str(r[5]),
            value=float(r[6]),
            baseline_median=float(r[7]),
            robust_z=None if r[8] is None else float(r[8]),
            direction=str(r[9]),
        )
        for r in rows
    ]


def message(found: list[Anomaly], threshold: Decimal) -> str:
    """One alert text: a line per anomaly up to MAX_LISTED, then how many more."""
    head = (
        f"{len(found)} new metric {'anomaly' if len(found) == 1 else 'anomalies'} on key"
        f" accounts (MRR >= {_number(float(threshold))} in the reporting currency;"
        " marts.fct_metric_anomalies):"
    )
    lines = [head, *(f"- {a.describe()}" for a in found[:MAX_LISTED])]
    if len(found) > MAX_LISTED:
        lines.append(f"... and {len(found) - MAX_LISTED} more")
    return "\n".join(lines)


def mark_sent(
    con: duckdb.DuckDBPyConnection, found: list[Anomaly], run_id: str, sent_at: str
) -> None:
    """Record every anomaly of the alert (listed or counted) as sent."""
    con.executemany(
        "insert or ignore into ops.sent_anomaly_alerts values (?, ?, ?, ?, ?, ?)",
        [(a.company_key, a.metric, a.grain, a.period_start, run_id, sent_at) for a in found],
    )


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
