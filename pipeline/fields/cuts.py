"""Cutting OCR boxes apart where the printed layout says they hold more than one thing.

The detector often draws one box over a label and its value (称深圳市…, the last character of
a letter-spaced 名　　称 with the name), or over two columns of a row. Cut at the characters'
positions (`glyphs`), such boxes become label pieces and value pieces that the label-driven
reading pairs as it pairs separately detected boxes.
"""

import dataclasses

from pipeline.fields.glyphs import cut_share, split_at, split_at_gaps
from pipeline.fields.labels import starting_label
from pipeline.fields.lines import SPACED_LABEL_GAP, Line

# A label's head may stand this far (in line heights) left of its tail: 名　　　称.
HEAD_GAP = 6.0


def split_boxes(lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """The lines cut at column gaps, after a label that opens a value, and after the tail of
    a letter-spaced label whose head stands left of it (名 | 称深圳… → 名 | 称 | 深圳…)."""
    lines = split_at_gaps(lines)
    result: list[Line] = []
    for line in lines:
        result += _split_label(line, lines, labels)
    return sorted(result, key=lambda item: (item.page, item.top, item.left))


def _split_label(line: Line, lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """The line as label + value when it opens with a label or a spaced label's tail."""
    label = starting_label(line.text, labels, dropped=False)
    length = len(label) if label is not None else _tail_length(line, lines, labels)
    if length is None or length >= len(line.text):
        return [line]
    share = cut_share(line, length)
    return [line] if share is None else split_at(line, [(length, share)])


def _tail_length(line: Line, lines: list[Line], labels: tuple[str, ...]) -> int | None:
    """How many leading characters of `line` end a spaced label whose head is printed (and
    read) separately to its left: 称 after 名, 立日期 after 成."""
    for label in sorted(labels, key=len, reverse=True):
        for start in range(1, len(label)):
            tail = label[start:]
            if line.text.startswith(tail) and _head_left_of(line, label[:start], lines):
                return len(tail)
    return None


def _head_left_of(line: Line, head: str, lines: list[Line]) -> bool:
    """Whether a box left of `line`, level with it, ends with `head` (名 of 名称), or is a
    column of label heads stacked in one tall box (名类住) holding its first character."""
    for other in lines:
        if other is line or other.page != line.page or other.right > line.left + line.height:
            continue
        if not other.top <= line.center_y <= other.bottom:
            continue
        gap = line.left - other.right
        stacked = other.bottom - other.top > 2 * (other.right - other.left)
        if stacked and head[0] in other.text and gap <= HEAD_GAP * line.height:
            return True
        if other.text.endswith(head) and gap <= SPACED_LABEL_GAP * line.height:
            return True
    return False


def label_from_tail(line: Line, lines: list[Line], labels: tuple[str, ...]) -> Line:
    """A box holding only a spaced label's tail (称) whose head stands in a stacked column
    of heads: the whole label, so that it is found (the raw text keeps what was read)."""
    for label in labels:
        for start in range(1, len(label)):
            if line.text == label[start:] and _stacked_head(line, label[0], lines):
                return dataclasses.replace(line, text=label)
    return line


def _stacked_head(line: Line, first: str, lines: list[Line]) -> bool:
    return any(
        other.bottom - other.top > 2 * (other.right - other.left)
        and other.top <= line.center_y <= other.bottom
        and first in other.text
        and 0 <= line.left - other.right <= HEAD_GAP * line.height
        for other in lines
        if other is not line and other.page == line.page
    )


def complete_tails(lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """Every tail-only box of a label whose heads were read as one stacked column, completed."""
    return [label_from_tail(line, lines, labels) for line in lines]

