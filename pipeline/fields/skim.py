"""Which text boxes of a license page need not be read: the 经营范围 block and the footer.

The business scope and the printed footer are about half the text on a license and no field
comes from them. The page's short boxes (labels, dates, short values) are read first; then
the wide boxes of the column right of 经营范围 and those below every short line are left
unread. The document reader reads them after all when a field the checks need (name, number,
province) is missing, or when a missing field's label was read with a skipped box where its
value would be: a field that is simply not printed (注册资本 on a 个体工商户 license, an
authority only in the seal) costs no second reading."""

import statistics

from pipeline.checks.documents import misses_essential_field
from pipeline.fields import license as license_labels
from pipeline.fields.labels import (
    find_labels,
    is_label_line,
    is_label_piece,
    label_length,
    merge_spaced_labels,
)
from pipeline.fields.license import LABELS
from pipeline.fields.lines import Line, to_lines
from pipeline.fields.paragraphs import paragraph_runs, stacked_above
from pipeline.images.normalize import NormalizedPage
from pipeline.images.orientation import elongation
from pipeline.ocr.base import BoxEdges, LayoutEngine, OcrLine, reading_order
from pipeline.reading import PageReading, ReadEveryBox, ReadingPolicy
from pipeline.settings import Settings
from schemas import Box, DocumentKind, DocumentResult, FieldName, TextSource

SHORT_RATIO = 10.0  # boxes up to this width : height are read first
SCOPE = "经营范围"
LICENSE_ANCHORS = ("营业执照", "统一社会信用代码", SCOPE)
COLUMN_SLACK = 1.5  # line heights a scope line's left edge may stray from the block's column
BLOCK_GAP = 1.0  # line heights between two lines of the scope block
VALUE_GAP = 4.0  # line heights between the label and scope text on its row
FOOTER_SLACK = 0.2  # line heights a footer box may reach up past the lowest short line
VALUE_BELOW = 2.5  # line heights under its label where a value may be printed
# The labels of each license field, to tell where its value would be printed.
FIELD_LABELS: dict[FieldName, tuple[str, ...]] = {
    "name": license_labels.NAME,
    "number": license_labels.NUMBER + license_labels.REGISTRATION,
    "entity_type": license_labels.ENTITY_TYPE,
    "legal_representative": license_labels.REPRESENTATIVE,
    "registered_capital": license_labels.CAPITAL,
    "established": license_labels.ESTABLISHED,
    "valid_from": license_labels.TERM,
    "valid_to": license_labels.TERM,
    "address": license_labels.ADDRESS,
    "issuing_authority": license_labels.AUTHORITY,
}


class _Area(BoxEdges):
    """A box (read or not) with the edges the block search needs."""

    def __init__(self, box: Box, index: int | None) -> None:
        self.box = box
        self.index = index  # position among the wide boxes; None for a line already read

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


def is_short(box: Box) -> bool:
    """Whether a box is at most SHORT_RATIO times as long as it is high."""
    return elongation(box) <= SHORT_RATIO


def looks_like_license(lines: list[Line]) -> bool:
    """Whether the lines read so far name a license's title, code label or scope label."""
    return any(anchor in line.text for line in lines for anchor in LICENSE_ANCHORS)


def unneeded_boxes(read: list[OcrLine], wide: list[Box]) -> set[int]:
    """Indexes of the wide boxes that lie in a license's 经营范围 block or footer."""
    return _unneeded(to_lines([read]), wide)


def _unneeded(lines: list[Line], wide: list[Box]) -> set[int]:
    """unneeded_boxes, given the short boxes' lines."""
    if not lines or not looks_like_license(lines):
        return set()
    height = statistics.median(line.height for line in lines)
    return _scope_block(lines, wide, height) | _footer(lines, wide, height)


def held_paragraphs(lines: list[Line], wide: list[Box], unneeded: set[int]) -> list[list[int]]:
    """The paragraphs of wide boxes to read the first line of before the rest: on a license
    page whose short boxes (`lines`) hold no 经营范围 label, the runs among the boxes still
    wanted."""
    if not looks_like_license(lines) or _scope_label(lines) is not None:
        return []
    wanted = [index for index in range(len(wide)) if index not in unneeded]
    runs = paragraph_runs([wide[index] for index in wanted])
    return [[wanted[at] for at in run] for run in runs]


def scope_paragraphs(held: list[list[int]], wide: list[Box], read: list[OcrLine]) -> set[int]:
    """The boxes after the first line of each held paragraph that the 经营范围 label opens:
    its first line, or the line just above it (a first line wrapped at another edge), starts
    with the label (the label and the scope's first words in one box)."""
    openers = [line for line in read if label_length(line.text, SCOPE)]
    return {
        index
        for run in held
        if any(line.box == wide[run[0]] or stacked_above(line, wide[run[0]]) for line in openers)
        for index in run[1:]
    }


def _scope_label(lines: list[Line]) -> Line | None:
    """The line that is the 经营范围 label alone."""
    return next((line for line in lines if label_length(line.text, SCOPE) == len(line.text)), None)


def _scope_block(lines: list[Line], wide: list[Box], height: float) -> set[int]:
    """The wide boxes of the 经营范围 value: one column, from the label's row down, unbroken."""
    label = _scope_label(lines)
    if label is None:
        return set()
    labels = [line for line in lines if line is not label and _is_label(line)]
    areas = [_Area(box, index) for index, box in enumerate(wide)]
    areas += [_Area(line.box, None) for line in lines if line is not label and line not in labels]
    column = _column_left(label, areas)
    below = [area for area in areas if area.top >= label.top - height / 2]
    members = sorted(
        (area for area in below if abs(area.left - column) <= COLUMN_SLACK * height),
        key=lambda area: area.top,
    )
    found: set[int] = set()
    last = label.bottom
    for area in members:
        if area.top - last > BLOCK_GAP * height or _label_between(labels, last, area):
            break
        if area.index is not None:
            found.add(area.index)
        last = max(last, area.bottom)
    return found


def _column_left(label: Line, areas: list[_Area]) -> float:
    """Where the scope text starts: the nearest box right of the label on its row, else under it."""
    row = [
        area
        for area in areas
        if abs(area.center_y - label.center_y) <= label.height / 2
        and label.right - label.height < area.left <= label.right + VALUE_GAP * label.height
    ]
    return min(row, key=lambda area: area.left).left if row else label.left


def _is_label(line: Line) -> bool:
    """A label, or one piece of a label printed with spaces (住 of 住　　所)."""
    return is_label_line(line, LABELS) or is_label_piece(line.text, LABELS)


def _label_between(labels: list[Line], above: float, area: _Area) -> bool:
    """Whether another label's row starts between the block so far and this box."""
    return any(above < line.center_y <= area.bottom for line in labels)


def _footer(lines: list[Line], wide: list[Box], height: float) -> set[int]:
    """The wide boxes below every short line read: the printed notice under the issue date."""
    lowest = max(line.bottom for line in lines)
    return {
        index
        for index, box in enumerate(wide)
        if min(y for _, y in box) >= lowest - FOOTER_SLACK * height
    }


class SkimLicenses:
    """Read a page's short boxes, then every wide box but a license's 经营范围 block and
    footer; a document that is not a license, or misses a field, gets the rest read."""

    def read_page(self, page: NormalizedPage, layout: LayoutEngine) -> PageReading:
        """The short boxes, then the wide ones no field needs; where the 经营范围 label is not
        among the short boxes (printed in one box with the scope's first line), each
        paragraph of wide lines is held back until its first line is read."""
        boxes = page.text_boxes or []
        short = [box for box in boxes if is_short(box)]
        wide = [box for box in boxes if not is_short(box)]
        first = layout.recognize(page.image, short)
        first_lines = to_lines([first])
        unneeded = _unneeded(first_lines, wide)
        held = held_paragraphs(first_lines, wide, unneeded)
        held_back = {index for run in held for index in run[1:]}
        wanted = [box for i, box in enumerate(wide) if i not in unneeded | held_back]
        rest = layout.recognize(page.image, wanted)
        unneeded |= scope_paragraphs(held, wide, rest)
        later = [wide[i] for i in sorted(held_back - unneeded)]
        rest += layout.recognize(page.image, later)
        skipped = tuple(wide[i] for i in sorted(unneeded))
        return PageReading(page, reading_order(first + rest), TextSource.OCR, skipped)

    def needs_the_rest(self, result: DocumentResult, readings: list[PageReading]) -> bool:
        """Unless it is a license with the checks' fields read and no missing field's value
        possibly in a box left unread."""
        if result.detected_kind is not DocumentKind.BUSINESS_LICENSE:
            return True
        if misses_essential_field(result):
            return True
        missing = [FIELD_LABELS[name] for name in result.unread if name in FIELD_LABELS]
        return any(value_may_be_unread(reading, missing) for reading in readings)


def value_may_be_unread(reading: PageReading, label_sets: list[tuple[str, ...]]) -> bool:
    """Whether a box left unread lies right of a label of one of the sets on its row, or
    under it."""
    if not reading.unread_boxes or not label_sets:
        return False
    lines = merge_spaced_labels(to_lines([reading.lines]), LABELS)
    hits = [hit for labels in label_sets for hit in find_labels(lines, labels)]
    unread = [_Area(box, None) for box in reading.unread_boxes]
    return any(_near_label(hit.line, area) for hit in hits for area in unread)


def _near_label(label: Line, area: _Area) -> bool:
    """Right of the label on its row, or starting under it within VALUE_BELOW line heights."""
    height = label.height
    beside = abs(area.center_y - label.center_y) <= height and area.right > label.right
    below = 0 <= area.top - label.top <= VALUE_BELOW * height and area.right > label.left
    return beside or below


def reading_policy(settings: Settings) -> ReadingPolicy:
    """FILINGCHECK_SKIM: skim licenses (default), or read every box."""
    return SkimLicenses() if settings.skim else ReadEveryBox()
