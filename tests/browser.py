"""Headless Chromium for the browser tests: Debian's ``chromium`` (``apt install chromium``),
driven by Playwright, never a browser Playwright downloads.

Without a Chromium the browser tests are skipped, unless ``C360_REQUIRE_BROWSER=1``
(``.ci/run`` sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

# The Debian wrapper script (/usr/bin/chromium) sets flags for desktop use; the binary
# behind it is what Playwright should start.
CANDIDATES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str:
    """The Chromium binary, or skip (fail under ``C360_REQUIRE_BROWSER=1``)."""
    override = os.environ.get("C360_CHROMIUM")
    for candidate in ([override] if override else []) + list(CANDIDATES):
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    message = "no Chromium found (apt install chromium, or set C360_CHROMIUM)"
    if os.environ.get("C360_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Console:
    """What a page wrote to its console and the errors it threw."""

    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        line = f"{message.type}: {message.text}"
        self.messages.append(line)
        if message.type == "error":
            self.errors.append(line)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, offline: every request that is not ``file:`` or ``data:`` fails."""
    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def open_offline(
    browser: Browser, url: str, *, width: int = 1400, height: int = 900
) -> tuple[Page, Console]:
    """Open ``url`` with the network cut off, recording console output and page errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    console = Console()
    page = context.new_page()
    page.on("console", console.record)
    page.on("pageerror", lambda exc: console.errors.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: console.errors.append(f"request failed: {req.url}"))
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:"))
            else route.abort()
        ),
    )
    page.goto(url, wait_until="load")
    return page, console
