"""PDF pages: the text layer as lines where there is one, a raster for OCR where there is not."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from itertools import pairwise
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page

from pipeline.decode import DecodedPage, check_pixels, to_bgr
from pipeline.errors import DocumentError, FilingCheckError, LimitExceededError
from pipeline.ocr.base import OcrLine, reading_order
from pipeline.settings import Settings
from schemas import TextSource

POINTS_PER_INCH = 72
PREVIEW_LONG_SIDE = 1400  # text-layer pages are rasterized only to be shown
MIN_TEXT_LAYER_CHARS = 5  # fewer readable characters (a page number, a stamp): OCR the page
UNMAPPED_GLYPH = "(cid:"  # pdfminer's text for a glyph without a Unicode mapping
SPACE_GAP = 0.25  # a gap wider than this × line height becomes a space
SEGMENT_GAP = 1.5  # a gap wider than this × line height starts a new line, as OCR would


def decode_pdf(data: bytes, settings: Settings) -> list[DecodedPage]:
    """Every page of a PDF (up to settings.max_pdf_pages, else LimitExceededError)."""
    with pdf_errors(), pdfplumber.open(BytesIO(data)) as pdf:
        count = len(pdf.pages)
        if count == 0:
            raise DocumentError("the PDF has no pages")
        if count > settings.max_pdf_pages:
            raise LimitExceededError(
                f"the PDF has {count} pages; at most {settings.max_pdf_pages} are accepted "
                "(a license or ID card is 1–2 pages)"
            )
        return [decode_pdf_page(page, index, settings) for index, page in enumerate(pdf.pages)]


def decode_pdf_page(page: Page, index: int, settings: Settings) -> DecodedPage:
    """One page: text-layer lines and a preview raster, or a raster at pdf_dpi for OCR."""
    width, height = float(page.width), float(page.height)
    has_text = text_layer_chars(page) >= MIN_TEXT_LAYER_CHARS
    dpi = preview_dpi(width, height, settings.pdf_dpi) if has_text else settings.pdf_dpi
    check_pixels(_pixels(width, height, dpi), settings.max_pixels)
    rendered = page.to_image(resolution=dpi)
    image = to_bgr(rendered.original)
    lines = text_layer_lines(page, float(rendered.scale)) if has_text else []
    return DecodedPage(index, image, lines, (image.shape[1], image.shape[0]), 0)


def text_layer_chars(page: Page) -> int:
    """How many visible characters with a Unicode mapping the page's text layer holds."""
    return sum(
        1 for char in page.chars if char["text"].strip() and UNMAPPED_GLYPH not in char["text"]
    )


def preview_dpi(width: float, height: float, pdf_dpi: int) -> float:
    """The resolution that makes the long side about PREVIEW_LONG_SIDE px (never over pdf_dpi)."""
    long_side_inches = max(width, height) / POINTS_PER_INCH
    return min(float(pdf_dpi), PREVIEW_LONG_SIDE / max(long_side_inches, 1e-6))


def text_layer_lines(page: Page, scale: float) -> list[OcrLine]:
    """The page's words joined into OCR-like lines, boxes in raster pixels (scale px/pt)."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    words = [w for w in words if UNMAPPED_GLYPH not in w["text"]]
    origin = (float(page.bbox[0]), float(page.bbox[1]))
    lines = [_to_line(segment, origin, scale) for segment in _segments(words)]
    return reading_order(lines)


def _segments(words: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Runs of words on one baseline whose gaps are small enough to be one OCR line."""
    for row in _rows(words):
        segment = [row[0]]
        for word in row[1:]:
            previous = segment[-1]
            height = max(previous["bottom"] - previous["top"], 1.0)
            if word["x0"] - previous["x1"] > SEGMENT_GAP * height:
                yield segment
                segment = []
            segment.append(word)
        yield segment


def _rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped by line (vertical centers within half a word height), left to right."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        center = (word["top"] + word["bottom"]) / 2
        if rows:
            first = rows[-1][0]
            tolerance = max((first["bottom"] - first["top"]) / 2, 1.0)
            if abs(center - (first["top"] + first["bottom"]) / 2) <= tolerance:
                rows[-1].append(word)
                continue
        rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _to_line(segment: list[dict[str, Any]], origin: tuple[float, float], scale: float) -> OcrLine:
    """One segment of words as a text-layer OcrLine with a box in raster pixels."""
    text = segment[0]["text"]
    for previous, word in pairwise(segment):
        height = max(previous["bottom"] - previous["top"], 1.0)
        text += (" " if word["x0"] - previous["x1"] > SPACE_GAP * height else "") + word["text"]
    left = (min(w["x0"] for w in segment) - origin[0]) * scale
    right = (max(w["x1"] for w in segment) - origin[0]) * scale
    top = (min(w["top"] for w in segment) - origin[1]) * scale
    bottom = (max(w["bottom"] for w in segment) - origin[1]) * scale
    box = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return OcrLine(text=text, confidence=1.0, box=box, source=TextSource.TEXT_LAYER)


def _pixels(width: float, height: float, dpi: float) -> tuple[int, int]:
    """The raster size of a page of width × height points at dpi."""
    return round(width * dpi / POINTS_PER_INCH), round(height * dpi / POINTS_PER_INCH)


@contextmanager
def pdf_errors() -> Iterator[None]:
    """Convert pdfminer / pdfium errors into DocumentError a reviewer can act on."""
    try:
        yield
    except FilingCheckError:
        raise
    except Exception as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError(
                "the PDF is password-protected; upload it without a password"
            ) from e
        if isinstance(cause, PDFEncryptionError):
            message = f"the PDF is encrypted in a way that cannot be read ({cause})"
            raise DocumentError(message) from e
        raise DocumentError(
            f"the PDF is damaged or not a valid PDF and cannot be read ({type(cause).__name__}: "
            f"{cause})"
        ) from e
