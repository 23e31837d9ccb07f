"""The engine interface and the text line every later stage works with."""

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

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


@dataclass(frozen=True)
class LineAngle:
    """The angle classifier's verdict on one text line crop: upright (0) or upside down (180)."""

    angle: int
    confidence: float


@runtime_checkable
class LayoutEngine(Protocol):
    """An engine that also exposes its stages: text detection, line angles, recognition."""

    def detect(self, image: np.ndarray) -> list[Box]:
        """Text line quadrilaterals (clockwise from top-left) found in the image."""
        ...

    def line_angles(self, image: np.ndarray, boxes: list[Box]) -> list[LineAngle]:
        """0 or 180 for each box's crop (crops taller than wide are first turned 90° left)."""
        ...

    def recognize(self, image: np.ndarray, boxes: list[Box]) -> list[OcrLine]:
        """The text in the given boxes of an upright image, in reading order."""
        ...


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines sorted top-to-bottom, lines sharing a row left-to-right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda item: item.center_y):
        row = rows[-1] if rows else None
        if row is not None and _same_row(row[0], line):
            row.append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda item: item.left)]


def _same_row(first: OcrLine, line: OcrLine) -> bool:
    """Whether the line's center is within half a line height of the row's first line."""
    tolerance = max(min(first.height, line.height) / 2, 1.0)
    return abs(line.center_y - first.center_y) <= tolerance
