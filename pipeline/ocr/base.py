"""The engine interface and the text line every later stage works with."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np

from pipeline.ocr.ctc import CtcMatrix
from schemas import Box, EngineInfo, TextSource


class BoxEdges:
    """The upright edges of a quadrilateral `box` (shared by OCR lines and extraction lines)."""

    box: Box

    @property
    def left(self) -> float:
        return min(x for x, _ in self.box)

    @property
    def right(self) -> float:
        return max(x for x, _ in self.box)

    @property
    def top(self) -> float:
        return min(y for _, y in self.box)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.box)


@dataclass(frozen=True)
class OcrLine(BoxEdges):
    """One line of text with its confidence and quadrilateral in page pixels."""

    text: str
    confidence: float
    box: Box
    source: TextSource = TextSource.OCR
    weakest_char: float | None = None  # the least sure character's probability, if known
    # The recognizer's per-step class probabilities for this line (engines that expose them).
    ctc: CtcMatrix | None = field(default=None, compare=False, repr=False)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


class OcrEngine(Protocol):
    """Reads text lines from a BGR image. Not thread-safe: one instance per thread."""

    info: EngineInfo

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Every text line found in the image, in reading order."""
        ...

    def layout(self) -> "LayoutEngine | None":
        """Its stages (detection, line angles, recognition of chosen boxes) when the engine
        exposes them — the reader then orients pages once and reads only chosen boxes —
        else None (the engine reads whole images)."""
        ...


@dataclass(frozen=True)
class LineAngle:
    """The angle classifier's verdict on one text line crop: upright (0) or upside down (180)."""

    angle: int
    confidence: float


@dataclass(frozen=True)
class DetectedText:
    """A detection's text line boxes, and the faint ones kept only by a second, stricter
    look at the same probability map (pipeline/ocr/faint.py): read only when needed."""

    boxes: list[Box]
    faint: list[Box] = field(default_factory=list)


class LayoutEngine(Protocol):
    """An engine that also exposes its stages: text detection, line angles, recognition."""

    def detect(self, image: np.ndarray) -> list[Box]:
        """Text line quadrilaterals (clockwise from top-left) found in the image."""
        ...

    def detect_text(self, image: np.ndarray) -> DetectedText:
        """The boxes `detect` gives, with the faint boxes of the same detection."""
        ...

    def line_angles(self, image: np.ndarray, boxes: list[Box]) -> list[LineAngle]:
        """0 or 180 for each box's crop (crops taller than wide are first turned 90° left)."""
        ...

    def recognize(self, image: np.ndarray, boxes: list[Box]) -> list[OcrLine]:
        """The text in the given boxes of an upright image, in reading order."""
        ...


class RowItem(Protocol):
    """Anything with a box on a flat page: an OCR line, a PDF word."""

    @property
    def left(self) -> float: ...

    @property
    def center_y(self) -> float: ...

    @property
    def height(self) -> float: ...


RowT = TypeVar("RowT", bound=RowItem)


def text_rows(items: Sequence[RowT]) -> list[list[RowT]]:
    """Items grouped in rows, top to bottom, each row left to right: an item joins the row
    when its center is within half a height (the smaller of the two, at least 1 px) of the
    row's first item. (Extraction on tilted photos follows the slope: fields.lines.same_row.)"""
    rows: list[list[RowT]] = []
    for item in sorted(items, key=lambda each: each.center_y):
        first = rows[-1][0] if rows else None
        tolerance = max(min(first.height, item.height) / 2, 1.0) if first else 0.0
        if first is not None and abs(item.center_y - first.center_y) <= tolerance:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [sorted(row, key=lambda each: each.left) for row in rows]


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines sorted top-to-bottom, lines sharing a row left-to-right."""
    return [line for row in text_rows(lines) for line in row]
