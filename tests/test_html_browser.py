"""The reviewer's pages in headless Debian Chromium: content, boxes, filters, script safety."""

import statistics
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from pipeline.report.html import IndexEntry, render_index_page, render_packet_page
from schemas import PacketReport
from tests.browser import TEST_OUTPUT, chromium, load_milliseconds
from tests.test_html_factory import (
    HOSTILE,
    HOSTILE_FILE,
    batch_reports,
    flagged_report,
    hostile_report,
    organization_documents,
)

pytestmark = pytest.mark.browser

BOX_CASES = [
    (position, field)
    for position, document in enumerate(organization_documents())
    for field in document.result.evidence
]
A4_PRINTABLE_HEIGHT_PX = (297 - 24) / 25.4 * 96


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagged packet, the hostile packet and a 20-packet index, written as files."""
    folder = tmp_path_factory.mktemp("pages")
    (folder / "flagged.html").write_text(render_packet_page(*flagged_report()), "utf-8")
    (folder / "hostile.html").write_text(render_packet_page(*hostile_report()), "utf-8")
    entries = [IndexEntry.from_report(r, f"{r.packet_id}.html") for r, _ in batch_reports(20)]
    (folder / "index.html").write_text(render_index_page(entries), "utf-8")
    return folder


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    """A fresh tab 1200 px wide, so document images are scaled by CSS."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    yield page
    page.close()


def open_page(tab: Page, path: Path) -> Page:
    """Navigate to a local file and wait for the load event."""
    tab.goto(path.as_uri(), wait_until="load")
    return tab


def test_packet_page_shows_verdict_each_flag_and_each_image(tab: Page, pages_dir: Path) -> None:
    report, previews = flagged_report()
    page = open_page(tab, pages_dir / "flagged.html")
    assert page.locator("#verdict .verdict-label").inner_text() == "建议驳回"
    shown = page.locator("ol.flags li.flag .message").all_inner_texts()
    assert sorted(shown) == sorted(flag.message for flag in report.flags)
    images = page.locator(".document img")
    assert images.count() == len(report.documents)
    for index, document in enumerate(report.documents):
        natural = images.nth(index).evaluate("img => img.complete ? img.naturalWidth : -1")
        assert natural == previews[document.file][0].width


def client_rect(page: Page, selector: str) -> dict[str, float]:
    """The element's geometry on screen (for SVG shapes: without the stroke)."""
    rect: dict[str, float] = page.locator(selector).evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )
    return rect


@pytest.fixture(scope="module")
def flagged_tab(browser: Browser, pages_dir: Path) -> Iterator[Page]:
    """The flagged packet page, loaded once for the box checks."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    yield open_page(page, pages_dir / "flagged.html")
    page.close()


@pytest.mark.parametrize(("position", "field"), BOX_CASES)
def test_box_is_drawn_where_the_evidence_says(flagged_tab: Page, position: int, field: str) -> None:
    report, previews = flagged_report()
    document = report.documents[position]
    preview = previews[document.file][0]
    box = document.evidence[field].box  # type: ignore[index]
    assert box is not None
    image = client_rect(flagged_tab, f"#doc-{position} img")
    drawn = client_rect(flagged_tab, f"#ev-d{position}-{field} polygon")
    ratio = image["width"] / preview.width
    assert abs(ratio - 1) > 0.05  # the image is scaled on screen: the check covers CSS scaling
    xs = [x * preview.scale * ratio for x, _ in box]
    ys = [y * preview.scale * ratio for _, y in box]
    assert drawn["x"] == pytest.approx(image["x"] + min(xs), abs=2)
    assert drawn["y"] == pytest.approx(image["y"] + min(ys), abs=2)
    assert drawn["width"] == pytest.approx(max(xs) - min(xs), abs=2)
    assert drawn["height"] == pytest.approx(max(ys) - min(ys), abs=2)


def test_flag_link_brings_its_box_into_view(tab: Page, pages_dir: Path) -> None:
    page = open_page(tab, pages_dir / "flagged.html")
    page.locator('li.flag[data-code="NAME_MISMATCH"] a.evidence-link').click()
    assert page.evaluate("location.hash") == "#ev-d0-name"
    top = page.locator("#ev-d0-name polygon").bounding_box()
    assert top is not None and 0 <= top["y"] <= 900


def test_hostile_values_show_as_text_and_no_script_runs(tab: Page, pages_dir: Path) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", refuse)
    page = open_page(tab, pages_dir / "hostile.html")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert HOSTILE in page.locator(".form-values").inner_text()
    assert HOSTILE in page.locator('li.flag[data-code="NAME_MISMATCH"] .value-form').inner_text()
    assert HOSTILE_FILE in page.locator("#doc-1 h3 .file").inner_text()
    assert page.locator("script").count() == 0


def visible_verdicts(page: Page) -> list[str]:
    """The data-verdict of every row the filter leaves visible."""
    return page.locator("#packets tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.verdict)"
    )


def test_index_filter_hides_and_shows_rows(tab: Page, pages_dir: Path) -> None:
    reports = [r for r, _ in batch_reports(20)]
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page = open_page(tab, pages_dir / "index.html")
    assert errors == []  # the CSP hash lets the filter script run
    assert len(visible_verdicts(page)) == 20
    page.select_option("#verdict-filter", "reject")
    rejects = sum(r.verdict == "reject" for r in reports)
    assert visible_verdicts(page) == ["reject"] * rejects
    assert page.locator("#shown-count").inner_text() == str(rejects)
    page.select_option("#verdict-filter", "")
    page.select_option("#flag-filter", "LOW_QUALITY")
    with_code = [r for r in reports if any(f.code == "LOW_QUALITY" for f in r.flags)]
    assert sorted(visible_verdicts(page)) == sorted(r.verdict.value for r in with_code)
    page.click("#filter-reset")
    expect(page.locator("#shown-count")).to_have_text("20")  # reset applies after the event
    assert len(visible_verdicts(page)) == 20


def test_verdict_count_button_filters_and_toggles(tab: Page, pages_dir: Path) -> None:
    page = open_page(tab, pages_dir / "index.html")
    page.click('#counts button[data-set-verdict="pass"]')
    assert set(visible_verdicts(page)) == {"pass"}
    pressed = page.locator('#counts button[aria-pressed="true"]')
    assert pressed.get_attribute("data-set-verdict") == "pass"
    page.click('#counts button[data-set-verdict="pass"]')
    assert len(visible_verdicts(page)) == 20


def test_screenshots_are_kept_in_test_output(browser: Browser, pages_dir: Path) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        for name in ("flagged", "index"):
            target = TEST_OUTPUT / f"html-{name}.png"
            target.unlink(missing_ok=True)
            page.goto((pages_dir / f"{name}.html").as_uri(), wait_until="load")
            page.screenshot(path=str(target), full_page=True)
            assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        page.close()


def test_packet_page_prints_on_a4_with_each_image_within_a_page(tab: Page, pages_dir: Path) -> None:
    page = open_page(tab, pages_dir / "flagged.html")
    pdf = TEST_OUTPUT / "html-flagged.pdf"
    TEST_OUTPUT.mkdir(exist_ok=True)
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    with pdfplumber.open(pdf) as document:
        sizes = {(round(p.width), round(p.height)) for p in document.pages}
        assert sizes == {(595, 842)}
        assert len(document.pages) >= 4  # summary, then one page per document
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1031})
    heights = page.locator(".page").evaluate_all("els => els.map(e => e.offsetHeight)")
    assert heights and max(heights) <= A4_PRINTABLE_HEIGHT_PX


LOAD_LIMIT_MS = 1000


def page_load_times(urls: list[str], tab: Page) -> tuple[dict[str, float], int]:
    """Load time of each page in one tab, and how many pages over the limit were measured again.

    The second measure discounts a stall caused by other processes on a shared machine:
    a page keeps a time over the limit only if it is slow twice in a row.
    """
    first = {url: load_milliseconds(url, tab) for url in urls}
    again = [url for url, ms in first.items() if ms >= LOAD_LIMIT_MS]
    final = first | {url: min(first[url], load_milliseconds(url, tab)) for url in again}
    return final, len(again)


@pytest.mark.slow
def test_batch_of_200_pages_each_load_under_a_second(tab: Page, tmp_path: Path) -> None:
    reports: list[PacketReport] = []
    for report, previews in batch_reports(200):
        (tmp_path / f"{report.packet_id}.html").write_text(
            render_packet_page(report, previews), "utf-8"
        )
        reports.append(report)
    entries = [IndexEntry.from_report(r, f"{r.packet_id}.html") for r in reports]
    (tmp_path / "index.html").write_text(render_index_page(entries), "utf-8")
    names = ["index.html"] + [f"{r.packet_id}.html" for r in reports]
    timings, measured_again = page_load_times([(tmp_path / name).as_uri() for name in names], tab)
    index_ms = timings[(tmp_path / "index.html").as_uri()]
    slowest = max(timings.values())
    print(
        f"\n201 pages: median {statistics.median(timings.values()):.0f} ms, "
        f"index {index_ms:.0f} ms, slowest {slowest:.0f} ms, measured again {measured_again}"
    )
    assert len(timings) == 201
    assert slowest < LOAD_LIMIT_MS
