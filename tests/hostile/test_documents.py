"""Hostile documents through read_document: each ends in its exact answer, within budget."""

import json
from dataclasses import dataclass
from datetime import date

import pytest

from pipeline.checks.documents import document_flags
from pipeline.document import read_document
from pipeline.fields.skim import reading_policy
from pipeline.ocr.fake import FakeEngine, FakeScript
from pipeline.settings import Settings
from schemas import DocumentKind, DocumentResult, DocumentStatus, FlagCode, Severity
from tests.hostile import corpus
from tests.hostile.conftest import BudgetCheck, hostile_settings
from tests.hostile.measure import CASE_SECONDS, run_measured

TODAY = date(2026, 6, 1)


@dataclass(frozen=True)
class Unreadable:
    """Expected: status UNREADABLE, an error naming every word, a DOCUMENT_UNREADABLE error."""

    words: tuple[str, ...]
    seconds: float = CASE_SECONDS


@dataclass(frozen=True)
class Read:
    """Expected: the document decoded into `pages` pages, each sent to OCR (no text layer)."""

    pages: int = 1
    seconds: float = CASE_SECONDS


# A one-page PDF is refused or rasterized in well under a second; parser stress gets 3 s.
PDF_PARSE_SECONDS = 3.0


@dataclass(frozen=True)
class DocumentOutcome:
    """What one read produced, reduced to plain data for the parent process."""

    result: DocumentResult
    engine_calls: int
    flags: list[tuple[FlagCode, Severity, str]]


def read_case(
    data: bytes, name: str, settings: Settings, script: FakeScript | None = None
) -> DocumentOutcome:
    """read_document with the scripted engine, and the per-document flags of the result."""
    engine = FakeEngine(script or corpus.id_front_script())
    reading = read_document(
        data, name, DocumentKind.ID_CARD_FRONT, engine, settings, reading_policy(settings)
    )
    flags = [
        (flag.code, flag.severity, flag.message) for flag in document_flags(reading.result, TODAY)
    ]
    return DocumentOutcome(reading.result, engine.calls, flags)


CASES = [
    pytest.param(lambda: b"", "license.jpg", Unreadable(("empty",)), id="zero-byte"),
    pytest.param(lambda: b" \r\n\t ", "license.jpg", Unreadable(("blank",)), id="white-space"),
    pytest.param(
        lambda: corpus.truncated(corpus.jpeg(), 0.5),
        "id.jpg",
        Unreadable(("JPEG", "truncated")),
        id="truncated-jpeg-half",
    ),
    pytest.param(
        lambda: corpus.jpeg()[:4],
        "id.jpg",
        Unreadable(("JPEG", "truncated")),
        id="truncated-jpeg-4-bytes",
    ),
    pytest.param(
        lambda: corpus.truncated(corpus.png(), 0.5),
        "id.png",
        Unreadable(("PNG", "truncated")),
        id="truncated-png-half",
    ),
    pytest.param(
        lambda: corpus.png()[:30],
        "id.png",
        Unreadable(("PNG", "truncated")),
        id="truncated-png-in-header",
    ),
    pytest.param(
        lambda: corpus.png_declaring(100_000, 100_000),
        "id.png",
        Unreadable(("pixels", "limit")),
        id="png-declaring-100000x100000",
    ),
    pytest.param(
        lambda: corpus.png_declaring(8000, 6000),
        "id.png",
        Unreadable(("pixels", "limit")),
        id="png-48-megapixels-over-max-pixels",
    ),
    pytest.param(
        lambda: corpus.jpeg_declaring(65_000, 65_000),
        "id.jpg",
        Unreadable(("pixels", "limit")),
        id="jpeg-declaring-65000x65000",
    ),
    pytest.param(
        lambda: corpus.bmp_declaring(100_000, 100_000),
        "id.bmp",
        Unreadable(("pixels", "limit")),
        id="bmp-declaring-100000x100000",
    ),
    pytest.param(
        lambda: corpus.bmp_declaring(4, -2_000_000_000),
        "id.bmp",
        Unreadable(("pixels", "limit")),
        id="bmp-declaring-negative-height",
    ),
    pytest.param(
        lambda: corpus.tiff_declaring(100_000, 100_000),
        "id.tiff",
        Unreadable(("pixels", "limit")),
        id="tiff-declaring-100000x100000",
    ),
    pytest.param(
        corpus.png_with_text_bomb, "id.png", Unreadable(("PNG",)), id="png-ztxt-20mb-bomb"
    ),
    pytest.param(corpus.jpeg_with_huge_exif, "id.jpg", Read(), id="jpeg-6mb-exif"),
    pytest.param(corpus.jpeg_with_mistyped_exif_tag, "id.jpg", Read(), id="jpeg-exif-mistyped-tag"),
    pytest.param(
        lambda: corpus.reportlab_pdf(pages=2), "id.jpg", Read(pages=2), id="pdf-named-jpg"
    ),
    pytest.param(corpus.html_page, "id.png", Unreadable(("HTML",)), id="html-named-png"),
    pytest.param(corpus.svg_drawing, "id.png", Unreadable(("SVG",)), id="svg-named-png"),
    pytest.param(corpus.svg_drawing, "id.svg", Unreadable(("SVG",)), id="svg"),
    pytest.param(
        lambda: b"GIF89a" + b"\x00" * 40, "id.png", Unreadable(("GIF",)), id="gif-named-png"
    ),
    pytest.param(
        lambda: b"PK\x03\x04" + b"\x00" * 40,
        "license.pdf",
        Unreadable(("ZIP",)),
        id="zip-named-pdf",
    ),
    pytest.param(
        lambda: corpus.reportlab_pdf(user_password="secret"),
        "license.pdf",
        Unreadable(("password",)),
        id="encrypted-pdf",
    ),
    pytest.param(corpus.owner_password_pdf, "license.pdf", Read(), id="owner-password-only-pdf"),
    pytest.param(
        lambda: corpus.blank_pdf(5000),
        "license.pdf",
        Unreadable(("5000 pages",)),
        id="pdf-5000-pages",
    ),
    pytest.param(
        lambda: corpus.blank_pdf(50_000),
        "license.pdf",
        Unreadable(("50000 pages",), PDF_PARSE_SECONDS),
        id="pdf-50000-pages-5mb",
    ),
    pytest.param(
        lambda: corpus.pdf_with_lying_count(50_000),
        "license.pdf",
        Unreadable(("50000 page objects",), PDF_PARSE_SECONDS),
        id="pdf-50000-pages-count-says-1",
    ),
    pytest.param(
        corpus.pdf_page_tree_loop,
        "license.pdf",
        Unreadable(("no pages",)),
        id="pdf-page-tree-loop",
    ),
    pytest.param(
        lambda: corpus.pdf_content_bomb(4),
        "license.pdf",
        Read(1, PDF_PARSE_SECONDS),
        id="pdf-6kb-content-stream-4mb-operators",
    ),
    pytest.param(
        lambda: corpus.pdf_deeply_nested(1_000_000),
        "license.pdf",
        Read(1, PDF_PARSE_SECONDS),
        id="pdf-2mb-array-nested-1000000-deep",
    ),
    pytest.param(
        lambda: corpus.blank_pdf(1, media_box=(14_400, 14_400)),
        "license.pdf",
        Unreadable(("pixels", "limit")),
        id="pdf-page-200-inches-square",
    ),
    pytest.param(
        lambda: corpus.blank_pdf(0), "license.pdf", Unreadable(("no pages",)), id="pdf-no-pages"
    ),
    pytest.param(
        lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50,
        "license.pdf",
        Unreadable(("PDF", "damaged")),
        id="pdf-header-then-garbage",
    ),
    pytest.param(
        corpus.pdf_with_javascript_and_attachment,
        "license.pdf",
        Read(),
        id="pdf-javascript-launch-embedded-file",
    ),
    pytest.param(corpus.multi_frame_tiff, "id.tiff", Read(), id="tiff-3-frames"),
    pytest.param(corpus.animated_webp, "id.webp", Read(), id="webp-animated-3-frames"),
    pytest.param(corpus.cmyk_jpeg, "id.jpg", Read(), id="cmyk-jpeg"),
    pytest.param(corpus.gray16_png, "id.png", Read(), id="16-bit-gray-png"),
    pytest.param(
        corpus.palette_png_with_transparency, "id.png", Read(), id="palette-png-transparent"
    ),
]


@pytest.mark.parametrize(("factory", "name", "expected"), CASES)
def test_hostile_document(
    factory: corpus.Factory,
    name: str,
    expected: Unreadable | Read,
    settings: Settings,
    within_budget: BudgetCheck,
) -> None:
    data = factory()
    measured = run_measured(lambda: read_case(data, name, settings), expected.seconds + 1)
    within_budget(measured, expected.seconds)
    assert measured.raised is None, f"read_document raised: {measured.raised}"
    assert measured.value is not None
    outcome = measured.value
    if isinstance(expected, Unreadable):
        assert_unreadable(outcome, expected.words)
    else:
        assert_read(outcome, expected.pages)


def assert_unreadable(outcome: DocumentOutcome, words: tuple[str, ...]) -> None:
    """UNREADABLE with every word in the error, flagged DOCUMENT_UNREADABLE (error)."""
    result = outcome.result
    assert result.status is DocumentStatus.UNREADABLE
    assert result.error is not None
    for word in words:
        assert word.lower() in result.error.lower(), f"{word!r} not in {result.error!r}"
    assert [(code, severity) for code, severity, _ in outcome.flags] == [
        (FlagCode.DOCUMENT_UNREADABLE, Severity.ERROR)
    ]


def assert_read(outcome: DocumentOutcome, pages: int) -> None:
    """Decoded into the expected pages, each one OCR'd, and not flagged unreadable."""
    result = outcome.result
    assert result.status is DocumentStatus.OK, result.error
    assert result.error is None
    assert result.pages == pages
    assert outcome.engine_calls == pages
    assert FlagCode.DOCUMENT_UNREADABLE not in [code for code, _, _ in outcome.flags]


def test_pdf_scripts_and_attachments_are_never_run_or_read(
    settings: Settings, within_budget: BudgetCheck
) -> None:
    data = corpus.pdf_with_javascript_and_attachment()
    measured = run_measured(lambda: read_case(data, "license.pdf", settings))
    within_budget(measured)
    assert measured.value is not None
    assert corpus.PAYLOAD_MARKER not in json.dumps(measured.value.result.model_dump(mode="json"))


def test_a_one_pixel_image_is_low_resolution(
    settings: Settings, within_budget: BudgetCheck
) -> None:
    measured = run_measured(lambda: read_case(corpus.one_pixel(), "id.png", settings))
    within_budget(measured)
    assert measured.raised is None, f"read_document raised: {measured.raised}"
    assert measured.value is not None
    outcome = measured.value
    assert outcome.result.status is DocumentStatus.OK, outcome.result.error
    low_quality = [
        message
        for code, severity, message in outcome.flags
        if (code, severity) == (FlagCode.LOW_QUALITY, Severity.WARNING)
    ]
    assert low_quality, f"a 1×1 image is not flagged LOW_QUALITY: {outcome.flags}"
    assert "分辨率" in low_quality[0]


@pytest.mark.parametrize(
    ("script", "changes", "words"),
    [
        pytest.param(
            FakeScript(fail="simulated engine crash"),
            {},
            ("simulated engine crash",),
            id="engine-raises",
        ),
        pytest.param(
            FakeScript(sleep_seconds=1.2),
            {"document_seconds": 0.5},
            ("longer than",),
            id="engine-past-document-seconds",
        ),
    ],
)
def test_engine_failures_fail_only_the_document(
    script: FakeScript,
    changes: dict[str, float],
    words: tuple[str, ...],
    within_budget: BudgetCheck,
) -> None:
    case_settings = hostile_settings(**changes)
    data = corpus.jpeg()
    measured = run_measured(lambda: read_case(data, "id.jpg", case_settings, script))
    within_budget(measured)
    assert measured.raised is None, f"read_document raised: {measured.raised}"
    assert measured.value is not None
    assert_unreadable(measured.value, words)


def test_a_pdf_that_renders_for_a_minute_is_stopped_at_document_seconds(
    within_budget: BudgetCheck,
) -> None:
    case_settings = hostile_settings(document_seconds=1.0)
    data = corpus.pdf_render_bomb(5)
    measured = run_measured(lambda: read_case(data, "license.pdf", case_settings))
    within_budget(measured, PDF_PARSE_SECONDS)
    assert measured.raised is None, f"read_document raised: {measured.raised}"
    assert measured.value is not None
    assert_unreadable(measured.value, ("reading the PDF took longer than 1 s",))
