"""Values a misaligned printer put above (or below) their pre-printed labels, paired again.

Old licenses were printed on pre-printed forms by dot-matrix printers; when the paper was fed
a little off, every value rides the same distance above its label (often half a row, so that
it sits as close to the label above as to its own). Pairing by row then gives each label the
next row's value. The page's shift is the vertical offset at which the most labels find a
value on their right that fits them (a date after 成立日期, a legal form after 类型); the
label boxes are moved by it, so that every later step pairs them by row as usual. Values keep
their boxes (the evidence shown to the reviewer stays where the text is).
"""

import dataclasses
import statistics
from collections.abc import Callable

from pipeline.fields.labels import is_label_piece, starting_label
from pipeline.fields.lines import Line

# How far (in line heights) right of a label its value may start, and above or below it.
VALUE_REACH = 8.0
ROW_REACH = 1.6
# How far (in line heights) a shifted value may reach back over its label's end: a value
# starting further left is printed under its label (a layout of its own, paired as such).
BACK_REACH = 0.3
# Offsets within this many line heights are counted as one.
TOLERANCE = 0.3
# A shift smaller than this (in line heights) is left to same_row's own tolerance.
MIN_SHIFT = 0.35
# The fewest labels whose values must fit them at a shift before it is applied.
MIN_FITTING = 3
# Characters besides the label a label-only box may hold (姓名 of 法定代表人姓名).
LABEL_EXTRA = 2

# Whether a value's text fits a label (a date after 成立日期); by label.
Fits = Callable[[str, str], bool]


def realign_labels(lines: list[Line], labels: tuple[str, ...], fits: Fits) -> list[Line]:
    """The lines with every label-only box moved by the page's printer shift (unchanged when
    the values sit on their labels' rows)."""
    heads = [(label, line) for line in lines if (label := _label_only(line, labels))]
    if not heads:
        return lines
    height = statistics.median(line.height for _, line in heads)
    values = [line for line in lines if not _label_only(line, labels)]
    offsets = [
        (label, offset / height, fits(label, value.text))
        for label, line in heads
        for value, offset in _candidates(line, values, height)
    ]
    shift = _best_shift(offsets)
    if shift is None:
        return lines
    moved = [_moved(line, shift * height) if _label_only(line, labels) else line for line in lines]
    return sorted(moved, key=lambda item: (item.page, item.top, item.left))


def _label_only(line: Line, labels: tuple[str, ...]) -> str | None:
    """The label a box holds with nothing else (or a spaced label's piece: 名 of 名　称)."""
    label = starting_label(line.text, labels, dropped=False)
    if label is not None and len(line.text) - len(label) <= LABEL_EXTRA:
        return label
    return line.text if is_label_piece(line.text, labels) else None


def _candidates(label: Line, values: list[Line], height: float) -> list[tuple[Line, float]]:
    """Boxes right of a label within a row or so above or below (`height`: the labels' line
    height), with their offset in pixels along the value's slope (a tilted photo keeps its
    rows)."""
    found = []
    for value in values:
        if value.page != label.page or value.left < label.right - BACK_REACH * height:
            continue
        if value.left - label.right > VALUE_REACH * height:
            continue
        expected = label.center_y + value.slope * (value.center_x - label.center_x)
        offset = value.center_y - expected
        if abs(offset) <= ROW_REACH * height:
            found.append((value, offset))
    return found


def _best_shift(offsets: list[tuple[str, float, bool]]) -> float | None:
    """The offset (in line heights) most labels' values fit at, if clearly not zero."""
    if not offsets:
        return None

    def support(shift: float) -> tuple[int, int]:
        near = [(label, fit) for label, offset, fit in offsets if abs(offset - shift) <= TOLERANCE]
        return len({label for label, fit in near if fit}), len({label for label, _ in near})

    best = max((offset for _, offset, _ in offsets), key=lambda offset: support(offset))
    fitting = support(best)[0]
    if abs(best) < MIN_SHIFT or fitting < MIN_FITTING or fitting <= support(0.0)[0]:
        return None
    return best


def _moved(line: Line, dy: float) -> Line:
    """The line's box moved down by dy pixels (up when negative)."""
    return dataclasses.replace(line, box=[(x, y + dy) for x, y in line.box])
