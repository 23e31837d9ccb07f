"""Reviewer pages of the committed sample packets, read by the real OCR engine, in Chromium."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pipeline.ocr.base import OcrEngine
from pipeline.packet import CheckOutcome, check_packet
from pipeline.report.html import render_packet_page
from pipeline.settings import Settings
from pipeline.sources import FolderSource
from pipeline.wording import VERDICT_LABELS
from tests.browser import TEST_OUTPUT, chromium

pytestmark = [pytest.mark.ocr, pytest.mark.browser, pytest.mark.slow]

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples" / "packets"
SAMPLES = sorted(p.name for p in SAMPLES_DIR.glob("*") if (p / "form.json").is_file())
SAMPLE_TODAY = date(2026, 11, 29)  # the date the committed samples are relative to
SCREENSHOT_SAMPLE = "S06-name_mismatch"

# For every evidence polygon: its rectangle and that of the image it is drawn over.
DRAWN_BOXES_JS = """() => Array.from(document.querySelectorAll('g.box')).map(g => {
  const rect = r => ({x: r.x, y: r.y, width: r.width, height: r.height});
  const img = g.closest('.page').querySelector('img');
  return {id: g.id, box: rect(g.querySelector('polygon').getBoundingClientRect()),
          img: rect(img.getBoundingClientRect())};
})"""


class SampleChecks:
    """check_packet on each committed sample, run at most once per test session."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.settings = Settings()
        self.outcomes: dict[str, CheckOutcome] = {}

    def outcome(self, name: str) -> CheckOutcome:
        """The checked packet (real OCR), computed on first use."""
        if name not in self.outcomes:
            source = FolderSource(SAMPLES_DIR / name)
            self.outcomes[name] = check_packet(
                source, self.engine, self.settings, today=SAMPLE_TODAY
            )
        return self.outcomes[name]


@pytest.fixture(scope="session")
def sample_checks(paddle_engine: OcrEngine) -> SampleChecks:
    return SampleChecks(paddle_engine)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def open_report(outcome: CheckOutcome, folder: Path, tab: Page) -> Page:
    """Render the packet page to a file and open it."""
    path = folder / f"{outcome.report.packet_id}.html"
    path.write_text(render_packet_page(outcome.report, outcome.previews), "utf-8")
    tab.goto(path.as_uri(), wait_until="load")
    return tab


def expected_boxes(outcome: CheckOutcome) -> dict[str, tuple[list[tuple[float, float]], int]]:
    """Each drawable evidence box by element id, in preview pixels, with its preview width."""
    expected = {}
    for index, document in enumerate(outcome.report.documents):
        previews = outcome.previews.get(document.file, [])
        for field, evidence in document.evidence.items():
            if evidence.box and evidence.page < len(previews):
                preview = previews[evidence.page]
                points = [(x * preview.scale, y * preview.scale) for x, y in evidence.box]
                expected[f"ev-d{index}-{field}"] = (points, preview.width)
    return expected


def sample_ids() -> list[str]:
    """The committed sample packets (one test each); a placeholder when none are committed."""
    return SAMPLES or ["no-committed-samples"]


@pytest.mark.parametrize("name", sample_ids())
def test_sample_page_shows_verdict_flags_images_and_boxes(
    name: str, sample_checks: SampleChecks, tab: Page, tmp_path: Path
) -> None:
    if not SAMPLES:
        pytest.fail(f"no committed sample packets in {SAMPLES_DIR}")
    outcome = sample_checks.outcome(name)
    report = outcome.report
    page = open_report(outcome, tmp_path, tab)
    assert page.locator("#verdict .verdict-label").inner_text() == VERDICT_LABELS[report.verdict]
    shown = page.locator("ol.flags li.flag .message").all_inner_texts()
    assert sorted(shown) == sorted(flag.message for flag in report.flags)
    widths = page.locator(".document img").evaluate_all(
        "imgs => imgs.map(i => i.complete ? i.naturalWidth : -1)"
    )
    assert widths == [
        preview.width for d in report.documents for preview in outcome.previews.get(d.file, [])
    ]
    expected = expected_boxes(outcome)
    drawn = {item["id"]: item for item in page.evaluate(DRAWN_BOXES_JS)}
    assert set(drawn) == set(expected)
    for anchor, (points, preview_width) in expected.items():
        box, image = drawn[anchor]["box"], drawn[anchor]["img"]
        ratio = image["width"] / preview_width
        assert box["x"] == pytest.approx(image["x"] + min(x for x, _ in points) * ratio, abs=2)
        assert box["y"] == pytest.approx(image["y"] + min(y for _, y in points) * ratio, abs=2)
        width = (max(x for x, _ in points) - min(x for x, _ in points)) * ratio
        assert box["width"] == pytest.approx(width, abs=2)


def test_sample_page_screenshot_is_kept(
    sample_checks: SampleChecks, browser: Browser, tmp_path: Path
) -> None:
    if SCREENSHOT_SAMPLE not in SAMPLES:
        pytest.fail(f"{SCREENSHOT_SAMPLE} is not among the committed samples")
    TEST_OUTPUT.mkdir(exist_ok=True)
    target = TEST_OUTPUT / f"html-sample-{SCREENSHOT_SAMPLE}.png"
    target.unlink(missing_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        open_report(sample_checks.outcome(SCREENSHOT_SAMPLE), tmp_path, page)
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.close()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
