"""PDF pages: the text layer as lines where there is one, a raster for OCR where there is not.

Everything is done by pdfium (pypdfium2, C++): page count, text layer and rasters. It runs
in a forked child (pipeline.decode.forked) killed after settings.document_seconds and capped at
PDF_MEMORY_MB, because no cheap check bounds what a page costs: a 50 KB page can inflate to
hundreds of MB of drawing operators, or take minutes to render.
"""

import ctypes
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.decode.forked import run_forked
from pipeline.decode.pages import PREVIEW_LONG_SIDE, DecodedPage, check_pixels
from pipeline.errors import DocumentError, FilingCheckError, LimitExceededError
from pipeline.ocr.base import OcrLine, reading_order, text_rows
from pipeline.settings import Settings
from schemas import TextSource

POINTS_PER_INCH = 72
MIN_TEXT_LAYER_CHARS = 5  # fewer readable characters (a page number, a stamp): OCR the page
PDF_MEMORY_MB = 1024  # how far the child reading a PDF may grow (5 A4 pages at 200 dpi: ~80)
CHAR_GAP = 3.0  # points between two characters that split a word (as pdfplumber's x_tolerance)
LINE_TOLERANCE = 3.0  # points between character tops still on one text line (y_tolerance)
SPACE_GAP = 0.25  # a gap wider than this × line height becomes a space
SEGMENT_GAP = 1.5  # a gap wider than this × line height starts a new line, as OCR would
PRECISION = 1000  # FPDF_PageToDevice answers in whole pixels: map at up to 1000×, divide
# A page object ("/Type /Page", not /Pages); counted in the raw bytes to catch a lying /Count.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![^\s/<>\[\]()%{}])")
RENDER_OPTIONS: Final = {  # as pdfplumber rendered pages until now (OCR was tuned on these)
    "no_smoothtext": True,
    "no_smoothpath": True,
    "no_smoothimage": True,
    "prefer_bgrx": True,
}


@dataclass(frozen=True)
class Glyph:
    """One character of the text layer: its box in PDF points (y up) as pdfium reads it, in
    raster pixels (y down) once mapped by PageToPixels."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    mapped: bool  # False: the font gives no Unicode for the glyph


@dataclass(frozen=True)
class Word:
    """Characters without a blank or a wide gap between them."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        """The word's height, at least one pixel."""
        return max(self.bottom - self.top, 1.0)

    @property
    def center_y(self) -> float:
        """The vertical center."""
        return (self.top + self.bottom) / 2


def decode_pdf(data: bytes, settings: Settings) -> list[DecodedPage]:
    """Every page of a PDF (up to settings.max_pdf_pages, else LimitExceededError), read in a
    child process stopped after settings.document_seconds or past PDF_MEMORY_MB."""
    return run_forked(
        lambda: decode_pdf_here(data, settings),
        settings.document_seconds,
        PDF_MEMORY_MB,
        "the PDF",
    )


def decode_pdf_here(data: bytes, settings: Settings) -> list[DecodedPage]:
    """decode_pdf in this process (no time or memory bound: call it through decode_pdf)."""
    with pdf_errors():
        document = pdfium.PdfDocument(data)
        try:
            count = page_count(document, data, settings.max_pdf_pages)
            return [
                decode_pdf_page(load_page(document, index), index, settings)
                for index in range(count)
            ]
        finally:
            document.close()


def page_count(document: pdfium.PdfDocument, data: bytes, max_pages: int) -> int:
    """The number of pages (LimitExceededError over max_pages), checked before any page is
    loaded. pdfium trusts the page tree's /Count; the page objects in the file are counted
    too, so a /Count that hides thousands of pages is refused as well."""
    count = len(document)
    if count > max_pages:
        raise LimitExceededError(
            f"the PDF has {count} pages; at most {max_pages} are accepted "
            "(a license or ID card is 1–2 pages)"
        )
    objects = sum(1 for _ in PAGE_OBJECT.finditer(data))
    if objects > max(count, max_pages):
        raise LimitExceededError(
            f"the PDF holds {objects} page objects, though its page tree (/Count) says "
            f"{count}; at most {max_pages} pages are accepted (a damaged or manipulated PDF)"
        )
    if count == 0:
        raise DocumentError("the PDF has no pages")
    return count


def load_page(document: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """One page; DocumentError when the page tree does not lead to it."""
    try:
        return document[index]
    except pdfium.PdfiumError as e:
        if index == 0:
            raise DocumentError(
                "the PDF has no pages that can be read (its page tree is broken)"
            ) from e
        raise DocumentError(f"page {index + 1} of the PDF cannot be read ({e})") from e


def decode_pdf_page(page: pdfium.PdfPage, index: int, settings: Settings) -> DecodedPage:
    """One page: text-layer lines and a preview raster, or a raster at pdf_dpi for OCR."""
    try:
        width, height = page.get_size()
        text_page = page.get_textpage()
        glyphs = text_glyphs(text_page)
        has_text = readable_chars(glyphs) >= MIN_TEXT_LAYER_CHARS
        dpi = preview_dpi(width, height, settings.pdf_dpi) if has_text else settings.pdf_dpi
        check_pixels(_pixels(width, height, dpi), settings.max_pixels)
        image = render(page, dpi / POINTS_PER_INCH)
        lines: list[OcrLine] = []
        if has_text:
            to_pixels = PageToPixels(page, image.shape[1], image.shape[0])
            lines = text_layer_lines([to_pixels.glyph(glyph) for glyph in glyphs], dpi)
        return DecodedPage(index, image, lines, (image.shape[1], image.shape[0]), 0)
    finally:
        page.close()


def render(page: pdfium.PdfPage, scale: float) -> np.ndarray:
    """The page as a contiguous 8-bit BGR array at scale pixels per point."""
    bitmap = page.render(scale=scale, **RENDER_OPTIONS)
    pixels = bitmap.to_numpy()
    return np.ascontiguousarray(pixels[:, :, :3])  # BGRx → BGR


def text_glyphs(text_page: pdfium.PdfTextPage) -> list[Glyph]:
    """The page's characters as pdfium reads them, boxes in PDF points (y up, for now);
    characters pdfium generated (spaces and line breaks it guessed) are left out."""
    glyphs = []
    count = text_page.count_chars()
    index = 0
    while index < count:
        code = pdfium_c.FPDFText_GetUnicode(text_page, index)
        step = 1
        if 0xD800 <= code < 0xDC00 and index + 1 < count:  # a UTF-16 surrogate pair
            low = pdfium_c.FPDFText_GetUnicode(text_page, index + 1)
            if 0xDC00 <= low < 0xE000:
                code, step = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), 2
        if not pdfium_c.FPDFText_IsGenerated(text_page, index):
            left, bottom, right, top = text_page.get_charbox(index, loose=True)
            mapped = _is_mapped(code) and not pdfium_c.FPDFText_HasUnicodeMapError(
                text_page, index
            )
            text = chr(code) if mapped else ""
            glyphs.append(Glyph(text, left, top, right, bottom, mapped))
        index += step
    return glyphs


def readable_chars(glyphs: list[Glyph]) -> int:
    """How many visible characters with a Unicode mapping the text layer holds."""
    return sum(1 for glyph in glyphs if glyph.mapped and glyph.text.strip())


def _is_mapped(code: int) -> bool:
    """Whether pdfium found a real character (not 0, a replacement or a control code)."""
    if code in (0, 0xFFFD, 0xFFFE) or code > 0x10FFFF or 0xD800 <= code < 0xE000:
        return False
    return unicodedata.category(chr(code)) != "Cc" or chr(code).isspace()


class PageToPixels:
    """pdfium's own mapping of page points to raster pixels (crop box and /Rotate applied)."""

    def __init__(self, page: pdfium.PdfPage, width: int, height: int) -> None:
        self.page = page
        self.precision = max(1, min(PRECISION, (2**31 - 1) // max(width, height, 1)))
        self.size = (width * self.precision, height * self.precision)
        self.origin = self._device(0.0, 0.0)
        x_axis, y_axis = self._device(1000.0, 0.0), self._device(0.0, 1000.0)
        self.x_axis = ((x_axis[0] - self.origin[0]) / 1000, (x_axis[1] - self.origin[1]) / 1000)
        self.y_axis = ((y_axis[0] - self.origin[0]) / 1000, (y_axis[1] - self.origin[1]) / 1000)

    def _device(self, x: float, y: float) -> tuple[float, float]:
        """One point in pixels (pdfium answers in whole units of the finer raster)."""
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        ok = pdfium_c.FPDF_PageToDevice(
            self.page, 0, 0, *self.size, 0, x, y, device_x, device_y
        )
        if not ok:
            raise DocumentError("the PDF page's coordinates cannot be mapped to its raster")
        return device_x.value / self.precision, device_y.value / self.precision

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A page point in raster pixels."""
        return (
            self.origin[0] + x * self.x_axis[0] + y * self.y_axis[0],
            self.origin[1] + x * self.x_axis[1] + y * self.y_axis[1],
        )

    def glyph(self, glyph: Glyph) -> Glyph:
        """A glyph with its box in raster pixels (the box's corners turned with the page)."""
        x1, y1 = self.point(glyph.left, glyph.top)
        x2, y2 = self.point(glyph.right, glyph.bottom)
        return Glyph(glyph.text, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2), glyph.mapped)


def preview_dpi(width: float, height: float, pdf_dpi: int) -> float:
    """The resolution that makes the long side PREVIEW_LONG_SIDE px (never over pdf_dpi); a
    hair under, since pdfium rounds the raster size up."""
    long_side_inches = max(width, height) / POINTS_PER_INCH
    return min(float(pdf_dpi), PREVIEW_LONG_SIDE / max(long_side_inches, 1e-6) * (1 - 1e-9))


def text_layer_lines(glyphs: list[Glyph], dpi: float) -> list[OcrLine]:
    """The page's words joined into OCR-like lines (glyph boxes in raster pixels at dpi)."""
    scale = dpi / POINTS_PER_INCH
    words = [word for line in _text_rows(glyphs, LINE_TOLERANCE * scale)
             for word in _words(line, CHAR_GAP * scale)]
    return reading_order([_to_line(segment) for segment in _segments(words)])


def _text_rows(glyphs: list[Glyph], tolerance: float) -> list[list[Glyph]]:
    """Glyphs grouped by their top (within tolerance of the previous one), left to right."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: g.top):
        if rows and glyph.top - rows[-1][-1].top <= tolerance:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    return [sorted(row, key=lambda g: g.left) for row in rows]


def _words(row: list[Glyph], gap: float) -> Iterator[Word]:
    """The words of one text row: split at blanks and wide gaps; a word holding a glyph
    without a Unicode mapping is dropped whole."""
    current: list[Glyph] = []
    for glyph in [*row, None]:
        ends = glyph is None or (glyph.mapped and not glyph.text.strip())
        if not ends and current and glyph is not None and glyph.left - current[-1].right > gap:
            ends = True
        if ends and current:
            if all(g.mapped for g in current):
                yield Word(
                    "".join(g.text for g in current),
                    min(g.left for g in current), min(g.top for g in current),
                    max(g.right for g in current), max(g.bottom for g in current),
                )
            current = []
        if glyph is not None and (not glyph.mapped or glyph.text.strip()):
            current.append(glyph)


def _segments(words: list[Word]) -> Iterator[list[Word]]:
    """Runs of words on one baseline whose gaps are small enough to be one OCR line."""
    for row in text_rows(words):
        segment = [row[0]]
        for word in row[1:]:
            if word.left - segment[-1].right > SEGMENT_GAP * segment[-1].height:
                yield segment
                segment = []
            segment.append(word)
        yield segment


def _to_line(segment: list[Word]) -> OcrLine:
    """One segment of words as a text-layer OcrLine with a box in raster pixels."""
    text = segment[0].text
    for previous, word in pairwise(segment):
        spaced = word.left - previous.right > SPACE_GAP * previous.height
        text += (" " if spaced else "") + word.text
    left, right = min(w.left for w in segment), max(w.right for w in segment)
    top, bottom = min(w.top for w in segment), max(w.bottom for w in segment)
    box = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return OcrLine(text=text, confidence=1.0, box=box, source=TextSource.TEXT_LAYER)


def _pixels(width: float, height: float, dpi: float) -> tuple[int, int]:
    """The raster size of a page of width × height points at dpi."""
    return round(width * dpi / POINTS_PER_INCH), round(height * dpi / POINTS_PER_INCH)


@contextmanager
def pdf_errors() -> Iterator[None]:
    """Convert pdfium's errors into DocumentError a reviewer can act on."""
    try:
        yield
    except FilingCheckError:
        raise
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentError(
                "the PDF is password-protected; upload it without a password"
            ) from e
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise DocumentError(f"the PDF is encrypted in a way that cannot be read ({e})") from e
        raise DocumentError(
            f"the PDF is damaged, or has no pages, and cannot be read ({e})"
        ) from e
