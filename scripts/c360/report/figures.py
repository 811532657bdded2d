"""The report's charts, as plotly figures built from the rows ``queries`` read.

Each function returns a figure, or ``None`` when there is nothing to draw (the page then
shows a "no data" note instead of an empty axis). Values are plain lists, not numpy
arrays, so the page's JSON holds numbers a reader (or a test) sees as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from c360.report.queries import (
    ADOPTION_STATES,
    FUNNEL_STAGES,
    HEALTH_BANDS,
    MOVEMENTS,
    Count,
    FeatureAdoption,
    FunnelChannel,
    HealthChange,
    MrrMonth,
    RefreshRun,
    RetentionPoint,
    Staleness,
)

COLOURS = {
    "new": "#2ca02c",
    "expansion": "#98df8a",
    "reactivation": "#17becf",
    "contraction": "#ff9896",
    "churn": "#d62728",
    "mrr": "#1f1f1f",
    "healthy": "#2ca02c",
    "watch": "#ffbf00",
    "at_risk": "#d62728",
    "adopted": "#2ca02c",
    "adopting": "#98df8a",
    "not_started": "#c7c7c7",
    "lapsed": "#ff9896",
    "churned": "#d62728",
    "stale": "#d62728",
    "fresh": "#2ca02c",
    "not_judged": "#c7c7c7",
}
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _layout(fig: Any, *, height: int = 420, **extra: Any) -> Any:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 30, "t": 30, "b": 50},
        font={"family": _FONT, "size": 12},
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
        **extra,
    )
    return fig


def _label(text: str) -> str:
    return text.replace("_", " ")


def mrr_movements(months: Sequence[MrrMonth], currency: str) -> Any | None:
    """The MRR line above the month's movements as stacked bars (growth up, losses down)."""
    if not months or all(m.mrr == 0 and not any(m.movements.values()) for m in months):
        return None
    x = [m.month.isoformat() for m in months]
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.4, 0.6], vertical_spacing=0.05
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[round(m.mrr, 2) for m in months],
            name="MRR (end of month)",
            mode="lines+markers",
            line={"color": COLOURS["mrr"], "width": 2},
            hovertemplate=f"%{{x|%b %Y}}: MRR %{{y:,.0f}} {currency}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for name, _sign in MOVEMENTS:
        fig.add_trace(
            go.Bar(
                x=x,
                y=[round(m.movements[name], 2) for m in months],
                name=name,
                marker_color=COLOURS[name],
                hovertemplate=f"%{{x|%b %Y}}: {name} %{{y:,.0f}} {currency}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    _layout(fig, height=520, barmode="relative")
    fig.update_layout(legend={"orientation": "h", "y": -0.08, "traceorder": "normal"})
    fig.update_yaxes(title_text=f"MRR ({currency})", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=f"movements ({currency})", zeroline=True, row=2, col=1)
    if months[-1].is_latest:
        fig.add_annotation(
            x=x[-1],
            y=round(months[-1].mrr, 2),
            text="to date",
            showarrow=False,
            yshift=14,
            font={"size": 11, "color": "#555"},
            row=1,
            col=1,
        )
    return fig


def retention(points: Sequence[RetentionPoint], window: int) -> Any | None:
    """NRR, GRR and logo retention over the window, by the month the window ends."""
    chosen = [p for p in points if p.window_months == window and p.nrr is not None]
    if not chosen:
        return None
    fig = go.Figure()
    x = [p.period_end_month.isoformat() for p in chosen]
    series = (
        ("NRR", [p.nrr for p in chosen], "#1f77b4"),
        ("GRR", [p.grr for p in chosen], "#ff7f0e"),
        ("logo retention", [p.logo for p in chosen], "#7f7f7f"),
    )
    for name, values, colour in series:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=values,
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": "dot" if name == "logo retention" else "solid"},
                hovertemplate=f"{name}: %{{y:.1%}}<extra></extra>",
            )
        )
    fig.add_hline(y=1, line={"color": "#bbbbbb", "dash": "dash"})
    _layout(fig)
    fig.update_yaxes(tickformat=".0%", title_text=f"retention over {window} months")
    return fig


def health_bands(bands: dict[str, int]) -> Any | None:
    """Companies per health band in the week."""
    if not any(bands.values()):
        return None
    order = [b for b in HEALTH_BANDS if b in bands] + [b for b in bands if b not in HEALTH_BANDS]
    fig = go.Figure(
        go.Bar(
            x=[_label(b) for b in order],
            y=[bands[b] for b in order],
            marker_color=[COLOURS.get(b, "#7f7f7f") for b in order],
            text=[bands[b] for b in order],
            textposition="outside",
            hovertemplate="%{x}: %{y} companies<extra></extra>",
        )
    )
    _layout(fig, height=320, showlegend=False)
    fig.update_yaxes(title_text="companies")
    return fig


def health_drops(drops: Sequence[HealthChange]) -> Any | None:
    """The week's biggest score drops, one bar per company, labelled with its driver."""
    if not drops:
        return None
    ordered = list(reversed(drops))  # horizontal bars draw bottom-up: the largest on top
    fig = go.Figure(
        go.Bar(
            x=[round(d.score_change or 0.0, 1) for d in ordered],
            y=[d.company_name for d in ordered],
            orientation="h",
            marker_color="#d62728",
            text=[_label(d.driver) if d.driver else "no single driver" for d in ordered],
            textposition="auto",
            hovertemplate="%{y}: %{x} points (%{text})<extra></extra>",
        )
    )
    _layout(fig, height=max(260, 40 * len(ordered) + 80), showlegend=False)
    fig.update_layout(margin={"l": 200, "r": 30, "t": 30, "b": 50})
    fig.update_xaxes(title_text="score change (points)")
    return fig


def funnel(channels: Sequence[FunnelChannel]) -> Any | None:
    """Visitors, sign-ups, activated people and paying companies, grouped per channel."""
    if not channels or not any(any(c.stages.values()) for c in channels):
        return None
    fig = go.Figure()
    palette = ("#9ecae1", "#4292c6", "#2171b5", "#08306b")
    for (column, label), colour in zip(FUNNEL_STAGES, palette, strict=True):
        fig.add_trace(
            go.Bar(
                x=[_label(c.channel) for c in channels],
                y=[c.stages[column] for c in channels],
                name=label,
                marker_color=colour,
                hovertemplate=f"%{{x}}: %{{y}} {label}<extra></extra>",
            )
        )
    _layout(fig, barmode="group")
    fig.update_yaxes(title_text="people (paying: companies)")
    return fig


def adoption(features: Sequence[FeatureAdoption]) -> Any | None:
    """Companies per adoption state, one stacked bar per feature."""
    if not features or not any(f.companies for f in features):
        return None
    ordered = list(reversed(features))  # the best adopted on top
    y = [f"{f.feature} ({f.adoption_rate:.0%})" for f in ordered]
    fig = go.Figure()
    for state in ADOPTION_STATES:
        fig.add_trace(
            go.Bar(
                x=[f.states.get(state, 0) for f in ordered],
                y=y,
                name=_label(state),
                orientation="h",
                marker_color=COLOURS[state],
                hovertemplate=f"%{{y}}: %{{x}} companies {_label(state)}<extra></extra>",
            )
        )
    _layout(fig, barmode="stack", height=max(300, 32 * len(ordered) + 120))
    fig.update_layout(margin={"l": 200, "r": 30, "t": 30, "b": 50})
    fig.update_xaxes(title_text="companies")
    return fig


def staleness(rows: Sequence[Staleness], limit: int = 15) -> Any | None:
    """Stale, fresh and unjudged current values per attribute (the stalest first)."""
    shown = [r for r in rows if r.stale or r.fresh or r.not_judged][:limit]
    if not shown:
        return None
    ordered = list(reversed(shown))
    fig = go.Figure()
    for key, attr in (("stale", "stale"), ("fresh", "fresh"), ("not_judged", "not_judged")):
        fig.add_trace(
            go.Bar(
                x=[getattr(r, attr) for r in ordered],
                y=[r.attribute for r in ordered],
                name=_label(key),
                orientation="h",
                marker_color=COLOURS[key],
                hovertemplate=f"%{{y}}: %{{x}} {_label(key)}<extra></extra>",
            )
        )
    _layout(fig, barmode="stack", height=max(300, 28 * len(ordered) + 120))
    fig.update_layout(margin={"l": 220, "r": 30, "t": 30, "b": 50})
    fig.update_xaxes(title_text="current values")
    return fig


def counts(rows: Sequence[Count], title: str, colour: str = "#8c564b") -> Any | None:
    """One horizontal bar per label (data issues by type, rejected rows by table)."""
    shown = [r for r in rows if r.count]
    if not shown:
        return None
    ordered = list(reversed(shown))
    fig = go.Figure(
        go.Bar(
            x=[r.count for r in ordered],
            y=[_label(r.label) for r in ordered],
            orientation="h",
            marker_color=colour,
            text=[r.count for r in ordered],
            textposition="auto",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    _layout(fig, height=max(240, 30 * len(ordered) + 100), showlegend=False)
    fig.update_layout(margin={"l": 240, "r": 30, "t": 30, "b": 50})
    fig.update_xaxes(title_text=title)
    return fig


def stage_seconds(run: RefreshRun) -> Any | None:
    """Seconds per stage of one refresh, in the order the stages ran."""
    stages = [(name, secs) for name, secs in run.stage_seconds.items() if secs > 0]
    if not stages:
        return None
    ordered = list(reversed(stages))  # the first stage on top
    fig = go.Figure(
        go.Bar(
            x=[round(s, 1) for _, s in ordered],
            y=[_label(name) for name, _ in ordered],
            orientation="h",
            marker_color="#1f77b4",
            text=[f"{s:.1f}s" for _, s in ordered],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1f}s<extra></extra>",
        )
    )
    _layout(fig, height=max(240, 30 * len(ordered) + 100), showlegend=False)
    fig.update_layout(margin={"l": 160, "r": 30, "t": 30, "b": 50})
    fig.update_xaxes(title_text="seconds")
    return fig
