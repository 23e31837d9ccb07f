"""How a page's text boxes are read: the reading policy is chosen by the caller and passed in.

The document reader (pipeline/document.py) knows nothing of templates. A policy says which
detected boxes of a page to recognize and, once the fields are extracted, whether the boxes
it left unread must be read after all (a wrong guess then costs time, not a field).
"""

from dataclasses import dataclass, replace
from typing import Protocol

from pipeline.images.normalize import NormalizedPage
from pipeline.ocr.base import LayoutEngine, OcrLine, reading_order
from schemas import Box, DocumentResult, TextSource


@dataclass(frozen=True)
class PageReading:
    """One page in evidence space with the lines read from it and where they came from."""

    page: NormalizedPage
    lines: list[OcrLine]
    source: TextSource
    unread_boxes: tuple[Box, ...] = ()  # detected boxes the policy left unread


class ReadingPolicy(Protocol):
    """Which boxes of a page to read, and when a document needs the rest of them."""

    def read_page(self, page: NormalizedPage, layout: LayoutEngine) -> PageReading:
        """The page with the boxes the policy reads (page.text_boxes holds every box)."""
        ...

    def needs_the_rest(self, result: DocumentResult, readings: list["PageReading"]) -> bool:
        """Whether the boxes left unread must be read, given the fields extracted so far and
        the pages as read."""
        ...


class ReadEveryBox:
    """Recognize every detected box of every page."""

    def read_page(self, page: NormalizedPage, layout: LayoutEngine) -> PageReading:
        """Every box, in reading order."""
        lines = layout.recognize(page.image, page.text_boxes or [])
        return PageReading(page, lines, TextSource.OCR)

    def needs_the_rest(self, result: DocumentResult, readings: list[PageReading]) -> bool:
        """Nothing is ever left unread."""
        return False


def read_the_rest(reading: PageReading, layout: LayoutEngine) -> PageReading:
    """The page with the boxes left unread read too."""
    if not reading.unread_boxes:
        return reading
    rest = layout.recognize(reading.page.image, list(reading.unread_boxes))
    return replace(reading, lines=reading_order(reading.lines + rest), unread_boxes=())


def read_faint(reading: PageReading, layout: LayoutEngine) -> PageReading:
    """The page with its faint boxes (pipeline/ocr/faint.py) read too, once."""
    faint = list(reading.page.faint_boxes)
    if not faint:
        return reading
    lines = layout.recognize(reading.page.image, faint)
    page = replace(reading.page, faint_boxes=())
    return replace(reading, page=page, lines=reading_order(reading.lines + lines))
