"""The report's HTML: one self-contained page, plotly.js embedded once in its head.

The page holds sections; a section holds blocks (a chart, a table, a note), each
already HTML. Nothing here fetches anything: no CDN, no fonts, no images from the
network, so the file opens offline.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0;
       color: #1f1f1f; background: #f6f7f9; }
header { background: #16324f; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 8px; font-size: 24px; }
header dl { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
header dt { font-size: 12px; opacity: .75; }
header dd { margin: 0; font-weight: 600; }
nav { margin-top: 10px; font-size: 13px; }
nav a { color: #cfe3ff; margin-right: 14px; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 40px; }
section { background: #fff; border-radius: 8px; margin: 18px 0; padding: 14px 22px;
          box-shadow: 0 1px 3px rgba(0,0,0,.08); }
section h2 { margin: 4px 0 10px; font-size: 19px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.caption { color: #555; font-size: 13px; margin: 4px 0 14px; }
.no-data { background: #f3f3f3; border-left: 4px solid #999; padding: 10px 14px;
           color: #444; font-size: 14px; }
.figures { display: flex; flex-wrap: wrap; gap: 0 24px; }
.figures > div { flex: 1 1 480px; min-width: 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e4e4e4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #fafafa; }
.headline { display: flex; flex-wrap: wrap; gap: 12px 36px; margin: 4px 0 8px; }
.headline div { font-size: 13px; color: #555; }
.headline b { display: block; font-size: 24px; color: #1f1f1f; }
.status-published { color: #2ca02c; }
.status-published_with_warnings { color: #b07800; }
.status-failed, .status-refused { color: #d62728; }
footer { color: #777; font-size: 12px; text-align: center; padding: 10px; }
"""


@dataclass(frozen=True)
class Section:
    """One part of the page: an anchor id, a title and its blocks (HTML)."""

    id: str
    title: str
    blocks: list[str] = field(default_factory=list)


def chart(fig: Any, div_id: str, caption: str) -> str:
    """A plotly figure as a div (no plotly.js: the page's head has it once) and its caption."""
    div = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        default_height=f"{fig.layout.height or 420}px",
    )
    return f'<div class="chart">{div}{_caption(caption)}</div>'


def figures(*blocks: str) -> str:
    """Blocks side by side where the page is wide enough."""
    return '<div class="figures">' + "".join(f"<div>{b}</div>" for b in blocks) + "</div>"


def no_data(text: str) -> str:
    return f'<p class="no-data">No data: {html.escape(text)}</p>'


def note(text: str) -> str:
    return f'<p class="caption">{html.escape(text)}</p>'


def heading(text: str) -> str:
    return f"<h3>{html.escape(text)}</h3>"


def _caption(text: str) -> str:
    return f'<p class="caption">{html.escape(text)}</p>'


def headline(items: Sequence[tuple[str, str]]) -> str:
    """Big numbers with their labels (label, value)."""
    cells = "".join(
        f"<div><b>{html.escape(value)}</b>{html.escape(label)}</div>" for label, value in items
    )
    return f'<div class="headline">{cells}</div>'


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    caption: str = "",
    *,
    table_id: str = "",
) -> str:
    """A table; numbers right-aligned, everything escaped."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    ident = f' id="{html.escape(table_id)}"' if table_id else ""
    out = f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return out + (_caption(caption) if caption else "")


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num">{html.escape(_number(value))}</td>'
    return f"<td>{html.escape('' if value is None else str(value))}</td>"


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def render(title: str, facts: Sequence[tuple[str, str]], sections: Sequence[Section]) -> str:
    """The whole page: header (title, facts, links to the sections), sections, plotly.js."""
    facts_html = "".join(
        f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>" for k, v in facts
    )
    links = "".join(f'<a href="#{html.escape(s.id)}">{html.escape(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{html.escape(s.id)}"><h2>{html.escape(s.title)}</h2>'
        + "".join(s.blocks)
        + "</section>"
        for s in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        # plotly.js once, inline: every chart's div below calls it
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        f"</head><body><header><h1>{html.escape(title)}</h1><dl>{facts_html}</dl>"
        f"<nav>{links}</nav></header><main>{body}</main>"
        "<footer>Written by c360 report from the analytics file; it needs no network.</footer>"
        "</body></html>\n"
    )
