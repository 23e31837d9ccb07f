"""Headless Debian Chromium driven by Playwright, for tests that open the reviewer's pages.

Never downloads a browser: it uses /usr/bin/chromium or skips (fails when CI=true).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path(os.environ.get("FILINGCHECK_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEST_OUTPUT = Path(__file__).resolve().parents[1] / "test-output"


def require_chromium() -> None:
    """Skip the calling test when Chromium is missing; fail instead when CI=true."""
    if CHROMIUM.is_file():
        return
    message = f"headless browser tests need Debian's chromium at {CHROMIUM}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A running headless Chromium, closed on exit."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def load_milliseconds(page_url: str, tab: Page) -> float:
    """Milliseconds from navigation start to the end of the load event of `page_url` in `tab`."""
    tab.goto(page_url, wait_until="load")
    elapsed = tab.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; }"
    )
    return float(elapsed)
