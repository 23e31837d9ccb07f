"""Cutting OCR boxes apart where the printed layout says they hold more than one thing.

The detector often draws one box over a label and its value (称深圳市…, the last character of
a letter-spaced 名　　称 with the name), or over two columns of a row. Cut at the characters'
positions (`glyphs`), such boxes become label pieces and value pieces that the label-driven
reading pairs as it pairs separately detected boxes.
"""

import dataclasses

from pipeline.fields.glyphs import cut_step, split_at, split_at_gaps
from pipeline.fields.labels import starting_label
from pipeline.fields.lines import Line

# A box this much taller than wide per character holds a column of characters.
STACKED_RATIO = 0.8
# A label's head may stand this far (in line heights) left of its tail: 名　　　称.
HEAD_GAP = 6.0


def split_boxes(lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """The lines cut at column gaps, after a label that opens a value, and after the tail of
    a letter-spaced label whose head stands left of it (名 | 称深圳… → 名称 | 深圳…)."""
    lines = split_at_gaps(split_stacked(lines))
    result: list[Line] = []
    absorbed: list[Line] = []
    for line in lines:
        pieces, head = _split_label(line, lines, labels)
        result += pieces
        absorbed += [head] if head is not None else []
    kept = [line for line in result if not any(line is head for head in absorbed)]
    return sorted(kept, key=lambda item: (item.page, item.top, item.left))


def split_stacked(lines: list[Line]) -> list[Line]:
    """Tall boxes holding one character of each of several rows (the heads 名类住 of a
    column of spaced labels, read top to bottom) cut into one box per character."""
    result: list[Line] = []
    for line in lines:
        count = len(line.text)
        tall = line.bottom - line.top >= STACKED_RATIO * count * (line.right - line.left)
        if count < 2 or not tall:
            result.append(line)
            continue
        step = (line.bottom - line.top) / count
        for index, char in enumerate(line.text):
            top, bottom = line.top + index * step, line.top + (index + 1) * step
            box = [(line.left, top), (line.right, top), (line.right, bottom), (line.left, bottom)]
            result.append(dataclasses.replace(line, text=char, raw=char, box=box, ctc=None))
    return result


def _split_label(
    line: Line, lines: list[Line], labels: tuple[str, ...]
) -> tuple[list[Line], Line | None]:
    """The line as label + value when it opens with a label or a spaced label's tail; a
    tail whose head stands apart (名 … 称) becomes the whole label (its box the tail's, so
    that a value below starts under it), and the head's box is returned to be dropped."""
    label = starting_label(line.text, labels, dropped=False)
    found = (label, len(label), None) if label is not None else _spaced_tail(line, lines, labels)
    if found is None:
        return [line], None
    label, length, head = found
    pieces = [line]
    if length < len(line.text):
        step = cut_step(line, length)
        if step is None:
            return [line], None
        pieces = split_at(line, [(length, step)])
    return [dataclasses.replace(pieces[0], text=label), *pieces[1:]], head


def _spaced_tail(
    line: Line, lines: list[Line], labels: tuple[str, ...]
) -> tuple[str, int, Line | None] | None:
    """The label whose tail opens `line` (称 of 名称, 立日期 of 成立日期) while its head is
    printed (and read) separately to its left, the tail's length, and the head's own box
    when it holds nothing else."""
    for label in sorted(labels, key=len, reverse=True):
        for start in range(1, len(label)):
            tail, head = label[start:], label[:start]
            if not line.text.startswith(tail):
                continue
            found = _head_left_of(line, head, lines)
            if found is not None:
                return label, len(tail), found if found.text == head else None
    return None


def _head_left_of(line: Line, head: str, lines: list[Line]) -> Line | None:
    """The box left of `line`, level with it, that ends with `head` (名 of 名称), or is a
    column of label heads stacked in one tall box (名类住) holding its first character."""
    for other in lines:
        if other is line or other.page != line.page or other.right > line.left + line.height:
            continue
        if not _level(other, line) or line.left - other.right > HEAD_GAP * line.height:
            continue
        stacked = other.bottom - other.top > 2 * (other.right - other.left)
        if (stacked and head[0] in other.text) or other.text.endswith(head):
            return other
    return None


def _level(first: Line, second: Line) -> bool:
    """Whether either line's middle lies within the other's height (a tilted row stays level)."""
    return (
        second.top <= first.center_y <= second.bottom
        or first.top <= second.center_y <= first.bottom
    )
