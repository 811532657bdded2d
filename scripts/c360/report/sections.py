"""The report's sections: what each shows, drawn from ``queries`` rows with ``figures``.

One function per section; each returns a ``page.Section`` whose blocks are charts with
their captions, tables, or a "no data" note when the mart is missing or empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from c360.report import figures, page
from c360.report.queries import (
    ATTRIBUTION_MODEL,
    RETENTION_ROLLUP,
    TOP_DROPS,
    Count,
    DataQuality,
    FeatureAdoption,
    FunnelChannel,
    Health,
    MrrMonth,
    RefreshRun,
    ReportData,
    RetentionPoint,
    biggest_drops,
    pick_window,
)

SECTION_IDS = ("mrr", "retention", "health", "acquisition", "adoption", "data-quality", "refresh")


def _missing(table: str) -> str:
    return page.no_data(f"{table} is not in the analytics file (run c360 refresh).")


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "unknown"


def mrr(months: list[MrrMonth] | None, currency: str) -> page.Section:
    section = page.Section("mrr", "MRR and its movements")
    if months is None:
        section.blocks.append(_missing("marts.fct_mrr_monthly"))
        return section
    fig = figures.mrr_movements(months, currency)
    if fig is None:
        section.blocks.append(page.no_data("marts.fct_mrr_monthly has no MRR yet."))
        return section
    last = months[-1]
    growth = sum(v for v in last.movements.values() if v > 0)
    loss = sum(v for v in last.movements.values() if v < 0)
    section.blocks.append(
        page.headline(
            [
                (
                    f"MRR, {last.month:%B %Y}" + (" to date" if last.is_latest else ""),
                    _money(last.mrr, currency),
                ),
                ("ARR (12 x MRR)", _money(12 * last.mrr, currency)),
                ("growth this month", _money(growth, currency)),
                ("losses this month", _money(loss, currency)),
            ]
        )
    )
    unconverted = sum(m.unconverted_rows for m in months)
    caption = (
        f"Top: MRR at the end of each month in {currency} (marts.fct_mrr_monthly, "
        "mrr_reporting); the latest month is to date. Bottom: the month's movements "
        "(movement_mrr_reporting, at the month's rate): new, expansion and reactivation "
        "above zero, contraction and churn below. MRR also moves with exchange rates "
        "(fx_effect), which are no customer movement."
    )
    if unconverted:
        caption += (
            f" {unconverted} company-months have no exchange rate and are left out "
            "(ops.data_issues: missing_fx_rate)."
        )
    section.blocks.append(page.chart(fig, "chart-mrr", caption))
    return section


def retention(points: list[RetentionPoint] | None) -> page.Section:
    section = page.Section("retention", "Net and gross revenue retention")
    if points is None:
        section.blocks.append(_missing("marts.rpt_revenue_retention"))
        return section
    window = pick_window(points)
    fig = figures.retention(points, window) if window else None
    if window is None or fig is None:
        section.blocks.append(
            page.no_data("marts.rpt_revenue_retention has no window with a starting cohort yet.")
        )
        return section
    latest = [p for p in points if p.window_months == window and p.nrr is not None][-1]
    section.blocks.append(
        page.headline(
            [
                (f"NRR, {window} months to {latest.period_end_month:%B %Y}", _pct(latest.nrr)),
                ("GRR", _pct(latest.grr)),
                ("logo retention", _pct(latest.logo)),
                ("customers at the start", f"{latest.start_customers:,}"),
            ]
        )
    )
    section.blocks.append(
        page.chart(
            fig,
            "chart-retention",
            f"NRR, GRR and logo retention over the {window} months ending each month, for the "
            f"whole business (marts.rpt_revenue_retention, rollup {RETENTION_ROLLUP}: each "
            "customer group once; segment_type all), at constant currency. NRR counts the "
            "starting customers' expansion, GRR only their contraction and churn (at most "
            "100%); the dashed line is 100%.",
        )
    )
    return section


def health(data: Health | None) -> page.Section:
    section = page.Section("health", "Company health")
    if data is None:
        section.blocks.append(_missing("marts.fct_company_health_weekly"))
        return section
    if data.week_start is None:
        section.blocks.append(
            page.no_data("marts.fct_company_health_weekly has no complete week yet.")
        )
        return section
    week = f"the week of {data.week_start:%Y-%m-%d}"
    bands_fig = figures.health_bands(data.bands)
    drops = biggest_drops(data.changes, TOP_DROPS)
    drops_fig = figures.health_drops(drops)
    left = (
        page.chart(
            bands_fig,
            "chart-health-bands",
            f"Companies per health band in {week}, the latest complete week "
            "(marts.fct_company_health_weekly; bands from seeds/health_score_model.csv).",
        )
        if bands_fig is not None
        else page.no_data(f"no company has a health score in {week}.")
    )
    right = (
        page.chart(
            drops_fig,
            "chart-health-drops",
            f"The {len(drops)} biggest score drops in {week}, in points against the week "
            "before; the label is the driver, the component that moved the score most "
            "(company names from marts.customer_360).",
        )
        if drops_fig is not None
        else page.no_data(f"no company's score fell in {week}.")
    )
    section.blocks.append(page.figures(left, right))
    if drops:
        section.blocks.append(
            page.table(
                ["company", "band", "score", "change", "driver", "driver's points"],
                [
                    [
                        d.company_name,
                        d.band,
                        d.score,
                        d.score_change,
                        d.driver or "",
                        d.driver_contribution,
                    ]
                    for d in drops
                ],
                table_id="health-drops",
            )
        )
    return section


def acquisition(channels: list[FunnelChannel] | None) -> page.Section:
    section = page.Section("acquisition", "Acquisition funnel by channel")
    if channels is None:
        section.blocks.append(_missing("marts.rpt_acquisition_funnel"))
        return section
    fig = figures.funnel(channels)
    if fig is None:
        section.blocks.append(page.no_data("marts.rpt_acquisition_funnel has no visitors yet."))
        return section
    section.blocks.append(
        page.chart(
            fig,
            "chart-funnel",
            "Visitors, sign-ups, activated people and the companies that became paying, per "
            f"channel, over every cohort month (marts.rpt_acquisition_funnel, "
            f"attribution_model {ATTRIBUTION_MODEL}: credit goes to each person's first "
            "campaign touch). Channel direct is people who signed up without a touch, so it "
            "has sign-ups but no visitors.",
        )
    )
    return section


def adoption(features: list[FeatureAdoption] | None) -> page.Section:
    section = page.Section("adoption", "Feature adoption")
    if features is None:
        section.blocks.append(_missing("marts.fct_feature_adoption"))
        return section
    fig = figures.adoption(features)
    if fig is None:
        section.blocks.append(page.no_data("marts.fct_feature_adoption has no rows yet."))
        return section
    section.blocks.append(
        page.chart(
            fig,
            "chart-adoption",
            "Companies per adoption state for each feature they had access to or used "
            "(marts.fct_feature_adoption, as of its as_of_date); the share in brackets is "
            "adopted ÷ all those companies, the best adopted on top.",
        )
    )
    return section


def _counts_block(rows: list[Count] | None, table: str, chart_id: str, what: str) -> str:
    if rows is None:
        return _missing(table)
    fig = figures.counts(rows, what)
    if fig is None:
        return page.no_data(f"{table} is empty: no {what} in the last refresh.")
    total = sum(r.count for r in rows)
    return page.chart(fig, chart_id, f"{total:,} {what} ({table}), by {_by(table)}.")


def _by(table: str) -> str:
    return "issue type" if table == "ops.data_issues" else "source table"


def data_quality(quality: DataQuality) -> page.Section:
    section = page.Section("data-quality", "Stale data and data issues")
    if quality.staleness is None:
        stale_block = _missing("marts.rpt_data_staleness")
    else:
        fig = figures.staleness(quality.staleness)
        stale_total = sum(s.stale for s in quality.staleness)
        values = sum(s.stale + s.fresh + s.not_judged for s in quality.staleness)
        stale_block = (
            page.chart(
                fig,
                "chart-staleness",
                f"{stale_total:,} of {values:,} current values are stale: older than their "
                "freshness rule allows (marts.rpt_data_staleness, rules in "
                "seeds/freshness_rules.csv), per entity and attribute, the stalest first "
                "(at most 15).",
            )
            if fig is not None
            else page.no_data("marts.rpt_data_staleness has no current values.")
        )
    section.blocks.append(stale_block)
    section.blocks.append(
        page.figures(
            page.heading("Data issues")
            + _counts_block(
                quality.data_issues, "ops.data_issues", "chart-data-issues", "data issues"
            ),
            page.heading("Rejected rows")
            + _counts_block(
                quality.rejected_rows, "ops.rejected_rows", "chart-rejected-rows", "rejected rows"
            ),
            page.heading("Incomplete partitions")
            + _counts_block(
                quality.incomplete_partitions,
                "ops.incomplete_partitions",
                "chart-incomplete-partitions",
                "incomplete partitions",
            ),
        )
    )
    return section


def refresh(runs: list[RefreshRun] | None) -> page.Section:
    section = page.Section("refresh", "The last refresh")
    if runs is None:
        section.blocks.append(_missing("ops.refresh_runs"))
        return section
    if not runs:
        section.blocks.append(page.no_data("ops.refresh_runs has no run yet."))
        return section
    last = runs[0]
    took = (
        f"{(last.finished_at - last.started_at).total_seconds():,.0f}s"
        if last.finished_at and last.started_at
        else "unknown"
    )
    section.blocks.append(
        page.table(
            ["run", "status", "exit", "started", "finished", "took", "message"],
            [
                [
                    last.run_id,
                    last.status,
                    last.exit_code,
                    _when(last.started_at),
                    _when(last.finished_at),
                    took,
                    last.message or "",
                ]
            ],
            table_id="refresh-last",
        )
    )
    section.blocks.append(
        page.note(
            f"Rejected rows {last.rejected_rows:,}, incomplete partitions "
            f"{last.incomplete_partitions:,}, tests failed {last.tests_failed:,}, tests "
            f"warned {last.tests_warned:,}. Warnings: "
            + ("; ".join(last.warnings) if last.warnings else "none")
            + "."
        )
    )
    fig = figures.stage_seconds(last)
    section.blocks.append(
        page.chart(
            fig,
            "chart-refresh-stages",
            "Seconds per stage of that refresh, in the order they ran (ops.refresh_runs."
            "stage_seconds). The publish itself is timed after the analytics file is "
            "written, so it is in refresh_runs.jsonl, not here.",
        )
        if fig is not None
        else page.no_data("the last refresh recorded no stage times.")
    )
    if len(runs) > 1:
        section.blocks.append(page.heading("Recent runs"))
        section.blocks.append(
            page.table(
                ["run", "status", "exit", "started", "finished", "message"],
                [
                    [
                        r.run_id,
                        r.status,
                        r.exit_code,
                        _when(r.started_at),
                        _when(r.finished_at),
                        r.message or "",
                    ]
                    for r in runs
                ],
                f"The latest {len(runs)} runs (ops.refresh_runs), the latest first.",
                table_id="refresh-recent",
            )
        )
    return section


def build(data: ReportData) -> list[page.Section]:
    """Every section, in page order (SECTION_IDS)."""
    currency = data.header.reporting_currency or "reporting currency"
    return [
        mrr(data.mrr, currency),
        retention(data.retention),
        health(data.health),
        acquisition(data.funnel),
        adoption(data.adoption),
        data_quality(data.quality),
        refresh(data.runs),
    ]


def facts(data: ReportData, generated_at: dt.datetime) -> list[tuple[str, str]]:
    """The header's facts: as-of dates, the last refresh, the currency, when written."""
    h = data.header
    runs: Sequence[RefreshRun] = data.runs or []
    last = runs[0] if runs else None
    return [
        ("billing data as of", h.billing_as_of.isoformat() if h.billing_as_of else "unknown"),
        ("product data as of", h.activity_as_of.isoformat() if h.activity_as_of else "unknown"),
        (
            "last refresh",
            f"{_when(last.finished_at or last.started_at)} ({last.status})" if last else "none",
        ),
        ("reporting currency", (h.reporting_currency or "unknown").upper()),
        ("written", _when(generated_at)),
    ]
