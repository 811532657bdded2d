"""What ``c360 report`` reads from the analytics file: one small query per section.

Every function takes a read-only connection and returns plain rows (dataclasses), or
``None`` when the table is not in the file (an older publish): the page then says so
instead of drawing an empty chart. The choices the page makes (which movements, which
window, which drops) live here as small functions over those rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from c360.errors import C360Error

# The MRR movements of fct_mrr_monthly that move MRR, in stacking order, with the sign
# each must have: growth stacks up from zero, losses down ("flat" moves nothing).
MOVEMENTS: tuple[tuple[str, int], ...] = (
    ("new", 1),
    ("expansion", 1),
    ("reactivation", 1),
    ("contraction", -1),
    ("churn", -1),
)
# rpt_revenue_retention: each customer group once (a subsidiary moving between two
# parents of one group is no churn), the whole business (segment_type all).
RETENTION_ROLLUP = "ultimate_parent"
RETENTION_WINDOWS = (12, 3, 1)  # the first with a value wins: 12 months, else a quarter
# rpt_acquisition_funnel: who brought the people in (their first campaign touch).
ATTRIBUTION_MODEL = "first_touch"
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("visitors", "visitors"),
    ("sign_ups", "sign-ups"),
    ("activated_people", "activated"),
    ("paying_companies", "paying"),
)
ADOPTION_STATES = ("adopted", "adopting", "not_started", "lapsed", "churned")
HEALTH_BANDS = ("healthy", "watch", "at_risk")
# The stages of c360 refresh in the order they run (refresh/run.py); others follow.
STAGE_ORDER = (
    "seeds_check",
    "erasure",
    "landing_scan",
    "build",
    "erasure_check",
    "anomaly_alerts",
    "publish",
)
TOP_DROPS = 10
RECENT_RUNS = 7


class AnalyticsFileError(C360Error):
    """The analytics file is missing or cannot be read: a configuration error, exit 2."""

    exit_code = 2


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The analytics file, read-only; a one-line error naming it when it cannot be opened."""
    if not path.is_file():
        raise AnalyticsFileError(
            f"{path}: no analytics file there (run c360 refresh first, or set $C360_ANALYTICS_DB)"
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise AnalyticsFileError(f"{path}: cannot open it read-only: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def has_table(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def _rows(
    con: duckdb.DuckDBPyConnection, table: str, sql: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.Error as exc:
        raise AnalyticsFileError(
            f"{_database_path(con)}: cannot read {table}: {_first_line(exc)}"
        ) from None


def _database_path(con: duckdb.DuckDBPyConnection) -> str:
    found = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return str(found[0]) if found and found[0] else "the analytics file"


def _float(value: Any) -> float:
    return float(value) if value is not None else 0.0


# --- header -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What the page's header says: the data's as-of dates and the reporting currency."""

    billing_as_of: dt.date | None
    activity_as_of: dt.date | None
    reporting_currency: str | None


def header(con: duckdb.DuckDBPyConnection) -> Header:
    billing = activity = currency = None
    if has_table(con, "marts.customer_360"):
        found = _rows(
            con,
            "marts.customer_360",
            "select max(billing_as_of_date), max(activity_as_of_date),"
            " min(reporting_currency) from marts.customer_360",
        )
        billing, activity, currency = found[0]
    if currency is None and has_table(con, "marts.fct_mrr_monthly"):
        found = _rows(
            con,
            "marts.fct_mrr_monthly",
            "select min(reporting_currency) from marts.fct_mrr_monthly",
        )
        currency = found[0][0]
    return Header(billing, activity, currency)


# --- MRR ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MrrMonth:
    """One month of the business's MRR in the reporting currency and its movements."""

    month: dt.date
    is_latest: bool
    mrr: float
    movements: dict[str, float]  # every name of MOVEMENTS, signed as MOVEMENTS says
    fx_effect: float
    unconverted_rows: int  # company-currency rows without a rate (left out of the sums)


def mrr_months(rows: Iterable[tuple[Any, ...]]) -> list[MrrMonth]:
    """Fold (month, is_latest, movement, mrr, movement_mrr, fx_effect, unconverted) rows,
    one per month and movement, into months in date order.

    A movement's amount always gets the sign MOVEMENTS gives it, so the stacked bars
    put growth above zero and losses below whatever sign the source rounded to.
    """
    months: dict[dt.date, dict[str, Any]] = {}
    for month, is_latest, movement, mrr, movement_mrr, fx_effect, unconverted in rows:
        entry = months.setdefault(
            month,
            {"latest": False, "mrr": 0.0, "fx": 0.0, "unconverted": 0, "moves": {}},
        )
        entry["latest"] = entry["latest"] or bool(is_latest)
        entry["mrr"] += _float(mrr)
        entry["fx"] += _float(fx_effect)
        entry["unconverted"] += int(unconverted or 0)
        entry["moves"][movement] = entry["moves"].get(movement, 0.0) + _float(movement_mrr)
    out = []
    for month in sorted(months):
        entry = months[month]
        moves = {name: sign * abs(entry["moves"].get(name, 0.0)) or 0.0 for name, sign in MOVEMENTS}
        out.append(
            MrrMonth(
                month=month,
                is_latest=entry["latest"],
                mrr=entry["mrr"],
                movements=moves,
                fx_effect=entry["fx"],
                unconverted_rows=entry["unconverted"],
            )
        )
    return out


def mrr(con: duckdb.DuckDBPyConnection) -> list[MrrMonth] | None:
    table = "marts.fct_mrr_monthly"
    if not has_table(con, table):
        return None
    return mrr_months(
        _rows(
            con,
            table,
            "select month, bool_or(is_latest_month), movement, sum(mrr_reporting),"
            " sum(movement_mrr_reporting), sum(fx_effect),"
            " count(*) filter (where mrr_reporting is null)"
            f" from {table} group by month, movement order by month, movement",
        )
    )


# --- retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPoint:
    """NRR, GRR and logo retention of the business over one window ending in a month."""

    period_end_month: dt.date
    window_months: int
    nrr: float | None
    grr: float | None
    logo: float | None
    start_customers: int


def pick_window(points: Sequence[RetentionPoint]) -> int | None:
    """The longest window of RETENTION_WINDOWS with at least one NRR (None without any)."""
    measured = {p.window_months for p in points if p.nrr is not None}
    return next((w for w in RETENTION_WINDOWS if w in measured), None)


def retention(con: duckdb.DuckDBPyConnection) -> list[RetentionPoint] | None:
    table = "marts.rpt_revenue_retention"
    if not has_table(con, table):
        return None
    rows = _rows(
        con,
        table,
        "select period_end_month, window_months, net_revenue_retention,"
        " gross_revenue_retention, logo_retention, start_customer_count"
        f" from {table} where rollup = ? and segment_type = 'all'"
        " order by window_months, period_end_month",
        [RETENTION_ROLLUP],
    )
    return [RetentionPoint(m, int(w), nrr, grr, logo, int(n)) for m, w, nrr, grr, logo, n in rows]


# --- health -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthChange:
    """One company's health in the week: its score, its change and the driver."""

    company_name: str
    band: str
    score: float
    score_change: float | None
    driver: str | None
    driver_contribution: float | None


@dataclass(frozen=True)
class Health:
    """The latest complete week of fct_company_health_weekly."""

    week_start: dt.date | None
    bands: dict[str, int]
    changes: list[HealthChange] = field(default_factory=list)


def biggest_drops(changes: Iterable[HealthChange], limit: int = TOP_DROPS) -> list[HealthChange]:
    """The ``limit`` largest score falls (a change below 0), the largest first; ties by name."""
    falls = [c for c in changes if c.score_change is not None and c.score_change < 0]
    return sorted(falls, key=lambda c: (c.score_change, c.company_name))[:limit]


def health(con: duckdb.DuckDBPyConnection) -> Health | None:
    table = "marts.fct_company_health_weekly"
    if not has_table(con, table):
        return None
    week = _rows(con, table, f"select max(week_start) from {table} where is_complete_week")
    week_start = week[0][0]
    if week_start is None:
        return Health(None, {})
    names = has_table(con, "marts.customer_360")
    name_sql = (
        "coalesce(c.company_name, h.company_key)"
        if names
        else "h.company_key"  # no customer_360 in the file: show keys
    )
    join = "left join marts.customer_360 as c using (company_key)" if names else ""
    rows = _rows(
        con,
        table,
        f"select {name_sql}, h.band, h.score, h.score_change, h.driver, h.driver_contribution"
        f" from {table} as h {join}"
        " where h.week_start = ? and h.is_complete_week order by 1",
        [week_start],
    )
    changes = [HealthChange(str(n), b, float(s), sc, d, dc) for n, b, s, sc, d, dc in rows]
    bands = {band: 0 for band in HEALTH_BANDS}
    for change in changes:
        bands[change.band] = bands.get(change.band, 0) + 1
    return Health(week_start, bands, changes)


# --- acquisition --------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelChannel:
    channel: str
    stages: dict[str, int]  # every column of FUNNEL_STAGES


def funnel(con: duckdb.DuckDBPyConnection) -> list[FunnelChannel] | None:
    table = "marts.rpt_acquisition_funnel"
    if not has_table(con, table):
        return None
    sums = ", ".join(f"coalesce(sum({column}), 0)" for column, _ in FUNNEL_STAGES)
    rows = _rows(
        con,
        table,
        f"select channel, {sums} from {table} where attribution_model = ?"
        " group by channel order by 2 desc, 3 desc, channel",
        [ATTRIBUTION_MODEL],
    )
    return [
        FunnelChannel(
            str(row[0]), {c: int(v) for (c, _), v in zip(FUNNEL_STAGES, row[1:], strict=True)}
        )
        for row in rows
    ]


# --- feature adoption ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureAdoption:
    feature: str
    states: dict[str, int]  # companies per adoption state (every state of ADOPTION_STATES)

    @property
    def companies(self) -> int:
        return sum(self.states.values())

    @property
    def adoption_rate(self) -> float:
        return self.states.get("adopted", 0) / self.companies if self.companies else 0.0


def adoption(con: duckdb.DuckDBPyConnection) -> list[FeatureAdoption] | None:
    table = "marts.fct_feature_adoption"
    if not has_table(con, table):
        return None
    rows = _rows(
        con,
        table,
        f"select feature, adoption_state, count(*) from {table} group by all order by all",
    )
    features: dict[str, dict[str, int]] = {}
    for feature, state, count in rows:
        features.setdefault(str(feature), dict.fromkeys(ADOPTION_STATES, 0))[state] = int(count)
    out = [FeatureAdoption(f, s) for f, s in features.items()]
    return sorted(out, key=lambda f: (-f.adoption_rate, f.feature))


# --- data quality -------------------------------------------------------------------------


@dataclass(frozen=True)
class Staleness:
    """Current values of one entity's attribute: stale, fresh, or judged by no rule."""

    attribute: str  # entity.attribute
    stale: int
    fresh: int
    not_judged: int


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class DataQuality:
    staleness: list[Staleness] | None
    data_issues: list[Count] | None
    rejected_rows: list[Count] | None  # per source table
    incomplete_partitions: list[Count] | None  # current ones, per source table


def data_quality(con: duckdb.DuckDBPyConnection) -> DataQuality:
    staleness = None
    if has_table(con, "marts.rpt_data_staleness"):
        rows = _rows(
            con,
            "marts.rpt_data_staleness",
            "select entity || '.' || attribute, count(*) filter (where is_stale),"
            " count(*) filter (where not is_stale), count(*) filter (where is_stale is null)"
            " from marts.rpt_data_staleness group by 1 order by 2 desc, 1",
        )
        staleness = [Staleness(str(a), int(s), int(f), int(n)) for a, s, f, n in rows]
    return DataQuality(
        staleness=staleness,
        data_issues=_counts(con, "ops.data_issues", "issue_type", ""),
        rejected_rows=_counts(con, "ops.rejected_rows", "source_table", ""),
        incomplete_partitions=_counts(
            con, "ops.incomplete_partitions", "system || '/' || table_name", "where is_current"
        ),
    )


def _counts(
    con: duckdb.DuckDBPyConnection, table: str, label: str, where: str
) -> list[Count] | None:
    if not has_table(con, table):
        return None
    rows = _rows(
        con, table, f"select {label}, count(*) from {table} {where} group by 1 order by 2 desc, 1"
    )
    return [Count(str(name), int(n)) for name, n in rows]


# --- the refresh log ----------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshRun:
    run_id: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    status: str
    exit_code: int | None
    message: str | None
    rejected_rows: int
    incomplete_partitions: int
    tests_failed: int
    tests_warned: int
    warnings: list[str]
    stage_seconds: dict[str, float]


def _json(text: Any) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None


def ordered_stages(stages: dict[str, Any]) -> dict[str, float]:
    """Seconds per stage in the order the refresh runs them, unknown stages after them
    by name; values that are not numbers are dropped."""
    known = {name: i for i, name in enumerate(STAGE_ORDER)}
    numbers = {
        str(k): float(v)
        for k, v in stages.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return {k: numbers[k] for k in sorted(numbers, key=lambda k: (known.get(k, len(known)), k))}


def refresh_runs(
    con: duckdb.DuckDBPyConnection, limit: int = RECENT_RUNS
) -> list[RefreshRun] | None:
    """The latest ``limit`` runs, the latest first."""
    table = "ops.refresh_runs"
    if not has_table(con, table):
        return None
    rows = _rows(
        con,
        table,
        "select run_id, started_at, finished_at, status, exit_code, message,"
        " rejected_rows, incomplete_partitions, tests_failed, tests_warned,"
        f" warnings::varchar, stage_seconds::varchar from {table}"
        " order by started_at desc nulls last, run_id desc limit ?",
        [limit],
    )
    runs = []
    for row in rows:
        warnings = _json(row[10])
        stages = _json(row[11])
        runs.append(
            RefreshRun(
                run_id=str(row[0]),
                started_at=row[1],
                finished_at=row[2],
                status=str(row[3]),
                exit_code=row[4],
                message=row[5],
                rejected_rows=int(row[6] or 0),
                incomplete_partitions=int(row[7] or 0),
                tests_failed=int(row[8] or 0),
                tests_warned=int(row[9] or 0),
                warnings=[str(w) for w in warnings] if isinstance(warnings, list) else [],
                stage_seconds=ordered_stages(stages if isinstance(stages, dict) else {}),
            )
        )
    return runs


# --- everything ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    header: Header
    mrr: list[MrrMonth] | None
    retention: list[RetentionPoint] | None
    health: Health | None
    funnel: list[FunnelChannel] | None
    adoption: list[FeatureAdoption] | None
    quality: DataQuality
    runs: list[RefreshRun] | None

    def row_count(self) -> int:
        """How many rows the page is drawn from (for the progress line)."""
        parts: list[Sequence[Any] | None] = [
            self.mrr,
            self.retention,
            self.health.changes if self.health else None,
            self.funnel,
            self.adoption,
            self.quality.staleness,
            self.quality.data_issues,
            self.quality.rejected_rows,
            self.quality.incomplete_partitions,
            self.runs,
        ]
        return sum(len(p) for p in parts if p)


def read_all(con: duckdb.DuckDBPyConnection) -> ReportData:
    return ReportData(
        header=header(con),
        mrr=mrr(con),
        retention=retention(con),
        health=health(con),
        funnel=funnel(con),
        adoption=adoption(con),
        quality=data_quality(con),
        runs=refresh_runs(con),
    )
