"""c360 docs: dbt's static site built against the published analytics file, checked in
its embedded manifest and in headless Chromium with the network cut off."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, open_offline
from shared_builds import Published

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"

# dbt-docs' own page asks the browser for two URLs that are template text it has not
# filled in yet (an <img src="{{ getIcon(...) }}"> and a webpack favicon placeholder);
# under file: they fail. They are the viewer's, not this project's: any other console
# error, page error or failed request fails the test.
NOT_FOUND = "net::ERR_FILE_NOT_FOUND"
VIEWER_TEMPLATE_URLS = ("%7B%7B%20getIcon(", "$%7Brequire('./assets/favicons/")


@pytest.fixture(scope="module")
def site(published_tiny: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "index.html"
    done = subprocess.run(
        [str(C360), "docs", "--out", str(out)],
        env=published_tiny.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out.resolve())
    return out


@pytest.fixture(scope="module")
def manifest(site: Path) -> dict[str, Any]:
    """The manifest the static page embeds (``var n={manifest:{...},catalog:{...}}``)."""
    text = site.read_text(encoding="utf-8")
    start = text.index("manifest:{") + len("manifest:")
    found, _ = json.JSONDecoder().raw_decode(text, start)
    assert isinstance(found, dict)
    return found


def test_every_mart_and_mart_column_is_described(manifest: dict[str, Any]) -> None:
    marts = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    ]
    assert len(marts) >= 30
    assert {node["name"] for node in marts} >= {"customer_360", "dim_dates", "fct_mrr_monthly"}
    assert [n["name"] for n in marts if not n["description"].strip()] == []
    undescribed = [
        f"{node['name']}.{name}"
        for node in marts
        for name, column in node["columns"].items()
        if not column["description"].strip()
    ]
    assert undescribed == []
    relation = next(n for n in marts if n["name"] == "customer_360")["relation_name"]
    assert relation == '"analytics"."marts"."customer_360"'


def test_the_metrics_are_in_the_site(manifest: dict[str, Any]) -> None:
    metrics = {metric["name"]: metric for metric in manifest["metrics"].values()}
    assert {"mrr", "arr", "nrr", "grr", "active_people", "nps", "tickets_per_company"} <= set(
        metrics
    )
    assert [name for name, m in metrics.items() if not m["description"].strip()] == []
    assert len(manifest["semantic_models"]) >= 10


@pytest.fixture(scope="module")
def browser_page(site: Path) -> Iterator[tuple[Any, Any]]:
    with chromium() as browser:
        page, console = open_offline(browser, site.resolve().as_uri())
        page.wait_for_selector('input[placeholder*="Search"]', timeout=60_000)
        yield page, console


def test_searching_customer_360_shows_it_and_its_columns(browser_page: tuple[Any, Any]) -> None:
    page, console = browser_page
    page.fill('input[placeholder*="Search"]', "customer_360")
    page.wait_for_selector(".search-result")
    results = page.locator(".search-result")
    titles = [results.nth(i).locator("h4").inner_text().split()[0] for i in range(results.count())]
    assert "customer_360" in titles
    hit = results.nth(titles.index("customer_360"))
    assert "Which companies pay most" in hit.inner_text()
    hit.click()
    page.wait_for_url("**/model.customer360.customer_360**", timeout=15_000)
    page.wait_for_selector("text=industry_sector", timeout=15_000)
    body = page.inner_text("body")
    assert "One row per company, deleted ones flagged" in body
    assert "analytics.marts.customer_360" in body
    for column in ("company_key", "industry_sector", "mrr_reporting"):
        assert column in body
    assert "The sector (level 1) the primary node's path starts at" in body
    _assert_no_real_errors(console.errors)


def _assert_no_real_errors(errors: list[str]) -> None:
    viewer = [e for e in errors if any(url in e for url in VIEWER_TEMPLATE_URLS)]
    favicon_failures = sum("favicons" in e and e.startswith("request failed") for e in viewer)
    not_found = [
        e for e in errors if e == "error: Failed to load resource: net::ERR_FILE_NOT_FOUND"
    ]
    real = [e for e in errors if e not in viewer and e not in not_found]
    assert real == []
    # the bare "not found" lines are the favicon placeholder's, one per failed request
    assert len(not_found) <= favicon_failures
