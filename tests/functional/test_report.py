"""``c360 report`` on the shared published tiny refresh: the page renders offline in
headless Chromium, without console errors, and every chart has data that agrees with
the analytics file (opened read-only)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from browser import chromium, open_offline
from c360.report.sections import SECTION_IDS
from shared_builds import Published

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"
CHARTS = (
    "chart-mrr",
    "chart-retention",
    "chart-health-bands",
    "chart-health-drops",
    "chart-funnel",
    "chart-adoption",
    "chart-staleness",
    "chart-refresh-stages",
)

# Per chart: its id, its traces' names, and per trace how many points it has and how
# many of them are numbers other than 0 (x for horizontal bars, y otherwise).
_CHARTS_JS = """
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => ({
  id: gd.id,
  traces: gd.data.map(t => {
    const values = Array.from((t.orientation === 'h' ? t.x : t.y) || []);
    return {
      name: t.name || '',
      type: t.type,
      points: values.length,
      nonzero: values.filter(v => typeof v === 'number' && isFinite(v) && v !== 0).length,
      values: values,
    };
  }),
  drawn: gd.querySelectorAll('.main-svg').length,
}))
"""


@dataclass(frozen=True)
class Rendered:
    out: Path
    done: subprocess.CompletedProcess[str]
    html: str
    charts: list[dict[str, Any]]
    sections: dict[str, str]  # id -> title
    console_errors: list[str]
    screenshot: Path


@pytest.fixture(scope="module")
def rendered(
    published_tiny: Published, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rendered]:
    """One ``c360 report`` and one offline render of its page for the whole module."""
    folder = tmp_path_factory.mktemp("report")
    out = folder / "report.html"
    done = subprocess.run(
        [str(C360), "report", "--out", str(out)],
        env=published_tiny.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shot = folder / "report.png"
    with chromium() as browser:
        page, console = open_offline(browser, out.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.plotly-graph-div .main-svg').length > 0"
        )
        charts = page.evaluate(_CHARTS_JS)
        sections = page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll('section'))"
            ".map(s => [s.id, s.querySelector('h2').textContent]))"
        )
        page.screenshot(path=str(shot), full_page=True)
        page.context.close()
    target = os.environ.get("C360_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(target) / "report.png")
    yield Rendered(
        out=out,
        done=done,
        html=out.read_text(encoding="utf-8"),
        charts=charts,
        sections=sections,
        console_errors=console.errors,
        screenshot=shot,
    )


def test_prints_the_path_last_and_a_progress_line_per_stage(rendered: Rendered) -> None:
    assert rendered.done.stdout.strip().splitlines()[-1] == str(rendered.out)
    stages = [
        line.split(":")[0]
        for line in rendered.done.stderr.splitlines()
        if line.startswith("[c360] report ")
    ]
    assert stages == ["[c360] report read", "[c360] report charts", "[c360] report write"]


def test_plotly_js_is_embedded_once_and_nothing_is_fetched(rendered: Rendered) -> None:
    html = rendered.html
    # the bundle's banner comment, once: every chart's div reuses it
    assert html.count("* plotly.js v") == 1
    assert re.search(r"<script[^>]*\bsrc=", html) is None
    # outside the bundle (which knows URLs it would use for maps), no address at all
    start = html.index("* plotly.js v")
    rest = html[:start] + html[html.index("</script>", start) :]
    assert re.search(r"https?://", rest) is None
    assert rest.count('class="plotly-graph-div"') == len(CHARTS)
    assert rendered.console_errors == []


def test_every_section_is_there_with_its_title(rendered: Rendered) -> None:
    assert list(rendered.sections) == list(SECTION_IDS)
    assert rendered.sections["mrr"] == "MRR and its movements"
    assert rendered.sections["refresh"] == "The last refresh"
    assert "billing data as of" in rendered.html and "reporting currency" in rendered.html


def test_every_chart_is_drawn_and_has_data(rendered: Rendered) -> None:
    ids = [c["id"] for c in rendered.charts]
    assert sorted(ids) == sorted(CHARTS)
    for chart in rendered.charts:
        assert chart["drawn"] > 0, chart["id"]
        assert any(t["nonzero"] for t in chart["traces"]), chart["id"]
        assert all(t["points"] for t in chart["traces"]), chart["id"]


def _chart(rendered: Rendered, chart_id: str) -> dict[str, Any]:
    return next(c for c in rendered.charts if c["id"] == chart_id)


def test_mrr_chart_stacks_growth_up_and_losses_down_and_ends_at_the_marts_mrr(
    rendered: Rendered, published_tiny: Published
) -> None:
    chart = _chart(rendered, "chart-mrr")
    traces = {t["name"]: t for t in chart["traces"]}
    assert list(traces) == [
        "MRR (end of month)",
        "new",
        "expansion",
        "reactivation",
        "contraction",
        "churn",
    ]
    assert all(
        v >= 0 for name in ("new", "expansion", "reactivation") for v in traces[name]["values"]
    )
    assert all(v <= 0 for name in ("contraction", "churn") for v in traces[name]["values"])
    with duckdb.connect(str(published_tiny.analytics), read_only=True) as con:
        row = con.execute(
            "select sum(mrr_reporting) from marts.fct_mrr_monthly where is_latest_month"
        ).fetchone()
    assert row is not None
    assert traces["MRR (end of month)"]["values"][-1] == pytest.approx(float(row[0]), abs=0.01)


def test_health_bands_count_the_companies_of_the_latest_complete_week(
    rendered: Rendered, published_tiny: Published
) -> None:
    bands = _chart(rendered, "chart-health-bands")["traces"][0]["values"]
    with duckdb.connect(str(published_tiny.analytics), read_only=True) as con:
        row = con.execute(
            "select count(*) from marts.fct_company_health_weekly where is_complete_week"
            " and week_start = (select max(week_start) from marts.fct_company_health_weekly"
            " where is_complete_week)"
        ).fetchone()
    assert row is not None and row[0] > 0
    assert sum(bands) == row[0]
    drops = _chart(rendered, "chart-health-drops")["traces"][0]["values"]
    assert drops and all(v < 0 for v in drops)


def test_screenshot_is_a_full_page_png(rendered: Rendered) -> None:
    data = rendered.screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    height = int.from_bytes(data[20:24], "big")
    assert height > 2000  # the whole page, not the 900-pixel viewport
    assert len(data) < 1_000_000
