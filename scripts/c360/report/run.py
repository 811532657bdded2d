"""``c360 report``: read the analytics file (read-only), draw the charts, write one HTML page.

Three stages, a progress line each: read, charts, write. The page is written under a
temporary name beside its target and renamed into place, so a reader never sees half
a page.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from c360.errors import C360Error
from c360.progress import Progress
from c360.report import page, queries, sections
from c360.settings import DEFAULT_ANALYTICS

REPORT_NAME = "report.html"
TITLE = "customer360: the business this morning"


def analytics_path(project: Path | None) -> Path:
    """``$C360_ANALYTICS_DB`` (relative to the current folder), else the project's default."""
    value = os.environ.get("C360_ANALYTICS_DB") or None
    if value is not None:
        return Path(value)
    return project / DEFAULT_ANALYTICS if project is not None else Path(DEFAULT_ANALYTICS)


def default_out(analytics: Path) -> Path:
    """The page's default place: beside the analytics file."""
    return analytics.parent / REPORT_NAME


def build_page(analytics: Path, progress: Progress, now: dt.datetime) -> tuple[str, int]:
    """The page's HTML from the analytics file, and how many rows it was drawn from."""
    with progress.stage("read") as st:
        con = queries.connect(analytics)
        try:
            data = queries.read_all(con)
        finally:
            con.close()
        st.rows = data.row_count()
        st.detail = f"from {analytics}"
    with progress.stage("charts") as st:
        parts = sections.build(data)
        html = page.render(TITLE, sections.facts(data, now), parts)
        st.rows = data.row_count()
        charts = html.count('class="plotly-graph-div"')
        st.detail = f"in {charts} charts, {len(parts)} sections"
    return html, data.row_count()


def write_page(html: str, out: Path) -> None:
    """Write ``html`` to ``out`` atomically (a temporary file renamed over it)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(html)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise C360Error(f"{out}: cannot write the report: {exc.strerror or exc}") from None


def run_report(analytics: Path, out: Path | None, progress: Progress) -> Path:
    """Write the report of ``analytics`` to ``out`` (default: beside it); its path."""
    target = out if out is not None else default_out(analytics)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    html, rows = build_page(analytics, progress, now)
    with progress.stage("write") as st:
        write_page(html, target)
        st.rows = rows
        st.detail = f"-> {target} ({len(html.encode('utf-8')) / 1e6:.1f} MB)"
    return target
