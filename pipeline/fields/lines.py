"""OCR lines with normalized text and the geometry used to pair labels with values."""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.ocr.base import BoxEdges, OcrLine
from pipeline.ocr.ctc import CtcMatrix
from pipeline.standards.text import normalize_text
from schemas import Box, FieldEvidence, TextSource

# How far apart (in line heights) two pieces of one spaced label may stand: 名　　称.
SPACED_LABEL_GAP = 4.0
# The widest gap (in line heights) between a label and its value on the same row.
VALUE_GAP = 12.0
# How far (in line heights) a neighbour's box may reach back over the line before it.
OVERLAP = 1.0
# A box angle is trusted only on lines at least this many heights long.
SLOPE_MIN_LENGTH = 2.5


@dataclass(frozen=True)
class Line(BoxEdges):
    """One text line of a page: normalized text, raw text, confidence and box."""

    text: str
    raw: str
    confidence: float
    box: Box
    page: int
    source: TextSource
    weakest: float  # the least sure character's probability (the line's confidence if unknown)
    ctc: CtcMatrix | None = field(default=None, compare=False, repr=False)  # as recognized

    @property
    def center_x(self) -> float:
        return sum(x for x, _ in self.box) / len(self.box)

    @property
    def center_y(self) -> float:
        return sum(y for _, y in self.box) / len(self.box)

    @property
    def height(self) -> float:
        """Text height: the quad's mean side length across the text direction."""
        if len(self.box) != 4:
            return self.bottom - self.top
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.box
        across = (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2
        return max(across, 1.0)

    @property
    def slope(self) -> float:
        """dy/dx of the text baseline; 0 for short lines, whose box angle is unreliable."""
        if len(self.box) != 4 or self.right - self.left < SLOPE_MIN_LENGTH * self.height:
            return 0.0
        (x0, y0), (x1, y1) = self.box[0], self.box[1]
        return (y1 - y0) / (x1 - x0) if x1 - x0 > 1 else 0.0

    def bottom_at(self, x: float) -> float:
        """Where the text's lower edge runs at x (on a tilted line, `bottom` is its lowest end)."""
        return self.center_y + self.slope * (x - self.center_x) + self.height / 2


def to_lines(pages: list[list[OcrLine]]) -> list[Line]:
    """Every non-empty line of every page, with normalized text."""
    lines = []
    for page, ocr_lines in enumerate(pages):
        for ocr in ocr_lines:
            text = normalize_text(ocr.text)
            if text:
                box = [(float(x), float(y)) for x, y in ocr.box]
                weakest = ocr.confidence if ocr.weakest_char is None else ocr.weakest_char
                lines.append(
                    Line(text, ocr.text, ocr.confidence, box, page, ocr.source, weakest, ocr.ctc)
                )
    return sorted(lines, key=lambda line: (line.page, line.top, line.left))


def union_box(lines: Iterable[Line]) -> Box:
    """The upright rectangle around several lines."""
    points = [point for line in lines for point in line.box]
    left, right = min(x for x, _ in points), max(x for x, _ in points)
    top, bottom = min(y for _, y in points), max(y for _, y in points)
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def _overlap(before: Line, after: Line) -> int:
    """How many characters `after` repeats from the end of `before` when their boxes overlap."""
    if after.left >= before.right:
        return 0
    for size in (2, 1):
        if len(before.text) > size and before.text.endswith(after.text[:size]):
            return size
    return 0


def join_texts(lines: list[Line]) -> str:
    """The texts of pieces of one row, left to right, without characters read twice."""
    text = lines[0].text
    for before, after in itertools.pairwise(lines):
        text += after.text[_overlap(before, after) :]
    return text


def merge(lines: list[Line]) -> Line:
    """One line made of several (left to right): texts joined, lowest confidence, union box."""
    first = lines[0]
    text = "".join(line.text for line in lines)
    raw = " ".join(line.raw for line in lines)
    confidence = min(line.confidence for line in lines)
    weakest = min(line.weakest for line in lines)
    return Line(text, raw, confidence, union_box(lines), first.page, first.source, weakest)


def same_row(anchor: Line, other: Line) -> bool:
    """Whether `other` sits on `anchor`'s text row (following its slope)."""
    if anchor.page != other.page:
        return False
    wider = anchor if anchor.right - anchor.left >= other.right - other.left else other
    expected_y = anchor.center_y + wider.slope * (other.center_x - anchor.center_x)
    return abs(other.center_y - expected_y) <= 0.5 * max(anchor.height, other.height)


def right_neighbours(anchor: Line, lines: list[Line], max_gap: float = VALUE_GAP) -> list[Line]:
    """Lines on `anchor`'s row to its right, nearest first, within max_gap line heights."""
    found = [
        line
        for line in lines
        if line is not anchor
        and same_row(anchor, line)
        and line.center_x > anchor.right
        and line.left >= anchor.right - OVERLAP * anchor.height
        and line.left - anchor.right <= max_gap * anchor.height
    ]
    return sorted(found, key=lambda line: line.left)


def lines_below(anchor: Line, lines: list[Line], left: float, right: float) -> list[Line]:
    """Lines under `anchor` that overlap the column [left, right], nearest first."""
    found = [
        line
        for line in lines
        if line is not anchor
        and line.page == anchor.page
        and line.center_y > anchor.bottom_at(line.center_x)
        and not same_row(anchor, line)
        and line.right > left
        and line.left < right
    ]
    return sorted(found, key=lambda line: line.top)


def evidence(
    lines: list[Line], note: str | None = None, source: TextSource | None = None
) -> FieldEvidence:
    """FieldEvidence for a value read from `lines`: their text, lowest confidence, union box."""
    return FieldEvidence(
        text=" ".join(line.raw for line in lines),
        confidence=min(line.confidence for line in lines),
        weakest_char_confidence=min(line.weakest for line in lines),
        box=union_box(lines),
        page=lines[0].page,
        source=source or lines[0].source,
        note=note,
    )
