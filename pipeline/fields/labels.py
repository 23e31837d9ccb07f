"""Finding printed labels (名称, 住址…) in OCR lines and reading the value that goes with each."""

import dataclasses
import itertools
import string
from dataclasses import dataclass

from pipeline.fields.lines import (
    SPACED_LABEL_GAP,
    Line,
    join_texts,
    lines_below,
    merge,
    right_neighbours,
    same_row,
)
from pipeline.standards.text import has_unclosed_bracket, strip_edge_noise

LATIN_LETTERS = string.ascii_letters
MAX_WATERMARK_LETTERS = 6  # SCJDGL, split around a label
MIN_WATERMARK_LETTERS = 3  # a box of only Latin letters at least this long is a watermark
# Most label characters OCR may get wrong in a label of this many characters.
FUZZY_LABEL_LENGTH = 4
# Vertical gaps, in line heights: a value under its label, a wrapped continuation line.
VALUE_BELOW_GAP = 1.6
CONTINUATION_GAP = 0.8
# How much larger or smaller a wrapped line's characters may be than the line above it.
CONTINUATION_HEIGHT_RATIO = 1.6
# Horizontal gap, in line heights, between pieces of one value on a row.
VALUE_PIECE_GAP = 3.0
# The width (in line heights) a label takes even when OCR read only part of it (名 of 名　称).
LABEL_WIDTH = 4.0
# How far (in line heights) a value centred under its label may start left of it (登记机关).
BELOW_VALUE_OVERHANG = 4.0


@dataclass(frozen=True)
class LabelHit:
    """A label found at the start of a line; `rest` is what follows it on that line."""

    label: str
    line: Line
    rest: str


@dataclass(frozen=True)
class ValueRead:
    """A value's normalized text and the lines it was read from."""

    text: str
    lines: list[Line]


def _one_dropped(text: str, label: str) -> bool:
    """Whether `text` is `label` with one character missing (登记机 for 登记机关)."""
    return len(text) == len(label) - 1 and any(
        label[:index] + label[index + 1 :] == text for index in range(len(label))
    )


def label_length(text: str, label: str, dropped: bool = True) -> int | None:
    """How many leading characters of `text` spell `label`.

    Long labels may have one misread character, or (with `dropped`) be a whole line missing
    one character.
    """
    if text.startswith(label):
        return len(label)
    if len(label) < FUZZY_LABEL_LENGTH:
        return None
    if len(text) >= len(label) and text[0] == label[0]:
        slips = sum(1 for read, printed in zip(text, label, strict=False) if read != printed)
        if slips <= 1:
            return len(label)
    return len(text) if dropped and _one_dropped(text, label) else None


def starting_label(text: str, labels: tuple[str, ...], dropped: bool = True) -> str | None:
    """The longest label that `text` starts with, if any."""
    found = [label for label in labels if label_length(text, label, dropped) is not None]
    return max(found, key=len) if found else None


def is_label_piece(text: str, labels: tuple[str, ...]) -> bool:
    """Whether `text` is the first part of a label printed with spaces (名 of 名　　称)."""
    return any(len(text) < len(label) and label.startswith(text) for label in labels)


def _next_piece(last: Line, lines: list[Line], height: float) -> Line | None:
    """The nearest line right of `last` on its row, if close enough to continue a label."""
    neighbours = right_neighbours(last, lines, max_gap=SPACED_LABEL_GAP * height / last.height)
    return neighbours[0] if neighbours else None


def _readings(pieces: list[Line]) -> list[str]:
    """The texts the pieces may spell; a piece overlapping the one before may repeat a glyph."""
    texts = [pieces[0].text]
    for before, after in itertools.pairwise(pieces):
        texts = [text + after.text for text in texts] + (
            [text + after.text[1:] for text in texts] if after.left < before.right else []
        )
    return texts


def _spaced_label_pieces(
    first: Line, lines: list[Line], labels: tuple[str, ...]
) -> tuple[list[Line], str] | None:
    """The lines that together start with a label (名 + 称杭州…) and the text they spell."""
    pieces = [first]
    while (neighbour := _next_piece(pieces[-1], lines, first.height)) is not None:
        pieces.append(neighbour)
        texts = _readings(pieces)
        spelled = [text for text in texts if starting_label(text, labels, dropped=False)]
        if spelled:
            return pieces, spelled[0]
        if not any(is_label_piece(text, labels) for text in texts):
            return None
    return None


def merge_spaced_labels(lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """Join the pieces of labels printed with spaces (名 + 称杭州… → 名称杭州…)."""
    result = list(lines)
    for line in lines:
        if line not in result or not is_label_piece(line.text, labels):
            continue
        found = _spaced_label_pieces(line, result, labels)
        if found is not None:
            pieces, text = found
            merged = dataclasses.replace(merge(pieces), text=text)
            result = [other for other in result if other not in pieces] + [merged]
    return sorted(result, key=lambda item: (item.page, item.top, item.left))


def find_labels(lines: list[Line], variants: tuple[str, ...]) -> list[LabelHit]:
    """Every line that starts with one of `variants` (or is one with watermark letters glued
    around it: S名称GL on an electronic license), in reading order."""
    hits = []
    for line in lines:
        label = starting_label(line.text, variants)
        if label is not None:
            length = label_length(line.text, label) or len(label)
            hits.append(LabelHit(label, line, strip_edge_noise(line.text[length:])))
        elif (bare := watermarked_label(line.text, variants)) is not None:
            hits.append(LabelHit(bare, line, ""))
    return hits


def is_watermark(text: str) -> bool:
    """A box of Latin letters only (SCJDGL): no value on a Chinese license or ID card is."""
    return len(text) >= MIN_WATERMARK_LETTERS and all(char in LATIN_LETTERS for char in text)


def watermarked_label(text: str, variants: tuple[str, ...]) -> str | None:
    """The label a line holds once Latin letters are dropped (S名称GL, S名IDG称 → 名称): the
    electronic license's SCJDGL watermark is read into, and between, the label's characters."""
    stripped = "".join(char for char in text if char not in LATIN_LETTERS)
    if stripped == text or len(text) - len(stripped) > MAX_WATERMARK_LETTERS:
        return None
    return stripped if stripped in variants else None


def lone_label_pieces(lines: list[Line], variants: tuple[str, ...]) -> list[LabelHit]:
    """Lines holding only the first character of a spaced label whose rest OCR lost (名 of 名称)."""
    firsts = {variant[0]: variant for variant in variants if len(variant) > 1}
    return [
        LabelHit(firsts[line.text], line, "")
        for line in lines
        if line.text in firsts and _next_piece(line, lines, line.height) is None
    ]


def lone_label_tails(lines: list[Line], variants: tuple[str, ...]) -> list[LabelHit]:
    """Lines holding only the last character of a spaced label whose head OCR lost (称 of
    名　　称), with a line right of them to hold the value."""
    lasts = {variant[-1]: variant for variant in variants if len(variant) > 1}
    return [
        LabelHit(lasts[line.text], line, "")
        for line in lines
        if line.text in lasts and right_neighbours(line, lines)
    ]


def is_label_line(line: Line, labels: tuple[str, ...]) -> bool:
    """Whether a line starts with any of the labels."""
    return starting_label(line.text, labels) is not None


def _first_value_line(hit: LabelHit, lines: list[Line], labels: tuple[str, ...]) -> Line | None:
    """The value's first line: to the right of the label, else just below it."""
    right = right_neighbours(hit.line, lines)
    if right and not is_label_line(right[0], labels):
        return right[0]
    height = hit.line.height
    column_right = max(hit.line.right, hit.line.left + LABEL_WIDTH * height)
    for line in lines_below(hit.line, lines, hit.line.left - 2 * height, column_right):
        if line.top - hit.line.bottom > VALUE_BELOW_GAP * height:
            return None
        if is_label_line(line, labels):
            return None  # the next label's row: what lies under it is that label's
        if is_label_piece(line.text, labels):
            continue
        if _labelled_row(line, [other for other in lines if other is not hit.line], labels):
            continue
        if line.left >= hit.line.left - 2 * height:
            return line
    return None


def _labelled_row(line: Line, lines: list[Line], labels: tuple[str, ...]) -> bool:
    """Whether a label or a spaced label's piece stands left of `line` on its row (the line
    is that label's value, not the value below another label)."""
    return any(
        other is not line
        and same_row(line, other)
        and other.right <= line.left + line.height
        and (is_label_line(other, labels) or is_label_piece(other.text, labels))
        for other in lines
    )


def _row_pieces(first: Line, lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """Further pieces of a value right of `first` on its row (until a label or a wide gap)."""
    pieces: list[Line] = []
    last = first
    for line in right_neighbours(first, lines):
        if is_label_line(line, labels) or line.left - last.right > VALUE_PIECE_GAP * first.height:
            break
        pieces.append(line)
        last = line
    return pieces


def _belongs_to_other_label(line: Line, lines: list[Line], labels: tuple[str, ...]) -> bool:
    """Whether `line` is the value printed right of another label on its row."""
    for other in lines:
        if other is line or not is_label_line(other, labels) or not same_row(other, line):
            continue
        neighbours = right_neighbours(other, lines)
        if other.right <= line.left + other.height and neighbours and neighbours[0] is line:
            return True
    return False


def _similar_height(line: Line, other: Line) -> bool:
    """Whether two lines' text is about the same size (a watermark or a title is not)."""
    return 1 / CONTINUATION_HEIGHT_RATIO <= line.height / other.height <= CONTINUATION_HEIGHT_RATIO


def _continuation(
    last: Line, value_left: float, lines: list[Line], labels: tuple[str, ...], open_bracket: bool
) -> Line | None:
    """The next wrapped line of a value: just below `last`, starting under the value. A value
    whose bracket is still open (…合伙企业（有限) continues even onto a line that could be a
    spaced label's first piece (合伙 of 合伙期限): the bracket's close is on it."""
    height = last.height
    for line in lines_below(last, lines, value_left - height, last.right + height):
        if line.top - last.bottom > CONTINUATION_GAP * height:
            return None
        if abs(line.left - value_left) > 2 * height or not _similar_height(line, last):
            continue
        if is_label_line(line, labels) or _belongs_to_other_label(line, lines, labels):
            return None
        if is_label_piece(line.text, labels) and not open_bracket:  # 企 of a spaced 企业类型
            return None
        return line
    return None


def _value_left(hit: LabelHit) -> float:
    """Where the value starts on a line that holds label and value (名称北京…)."""
    share = 1 - len(hit.rest) / max(len(hit.line.text), 1)
    return hit.line.left + share * (hit.line.right - hit.line.left)


def row_chain(
    found: Line, lines: list[Line], labels: tuple[str, ...], leftmost: float
) -> list[Line]:
    """`found` with the value pieces left and right of it on its row (a seal splits lines)."""
    row = sorted(
        (
            line
            for line in lines
            if line is found or (same_row(found, line) and line.left >= leftmost)
        ),
        key=lambda line: line.left,
    )
    start = end = row.index(found)
    limit = VALUE_PIECE_GAP * found.height
    labelled = [line for line in lines if is_label_line(line, labels)]
    while start > 0 and not _own_label_or_value(row[start - 1], labelled, labels):
        if row[start].left - row[start - 1].right > limit:
            break
        start -= 1
    while end + 1 < len(row) and not _own_label_or_value(row[end + 1], labelled, labels):
        if row[end + 1].left - row[end].right > limit:
            break
        end += 1
    return row[start : end + 1]


def _own_label_or_value(piece: Line, labelled: list[Line], labels: tuple[str, ...]) -> bool:
    """Whether a piece on a value's row is a label, or the value printed under another label
    (values below their labels, two columns: 成立日期's date beside a name's first row)."""
    return is_label_line(piece, labels) or any(_printed_under(piece, label) for label in labelled)


def _printed_under(piece: Line, label: Line) -> bool:
    """Whether `piece` starts under `label`, its top within two label heights of the label's
    bottom, the two of about one size (the label's own value in a value-below-label layout;
    not a line under the 营业执照 title)."""
    height = label.height
    gap = piece.top - label.bottom
    starts_under = label.left - height <= piece.left <= label.right
    return starts_under and -0.3 * height <= gap <= 2 * height and _similar_height(piece, label)


def _repeated_value(hit: LabelHit, lines: list[Line]) -> Line | None:
    """A value line overlapping the label line that repeats its tail (住址安 | 安徽省…)."""
    overlapping = [
        line
        for line in lines
        if line is not hit.line
        and same_row(hit.line, line)
        and line.left < hit.line.right < line.right
        and line.text.startswith(hit.rest)
    ]
    return overlapping[0] if overlapping else None


def _first_row(
    hit: LabelHit, lines: list[Line], labels: tuple[str, ...]
) -> tuple[list[str], list[Line], float] | None:
    """The value's text pieces on its first row, their lines, and where the value starts."""
    repeated = _repeated_value(hit, lines) if hit.rest else None
    if hit.rest and repeated is None:
        pieces = _row_pieces(hit.line, lines, labels)
        texts = [hit.rest, join_texts(pieces)] if pieces else [hit.rest]
        return texts, [hit.line, *pieces], _value_left(hit)
    found = repeated or _first_value_line(hit, lines, labels)
    if found is None:
        return None
    leftmost = min(found.left, hit.line.left - BELOW_VALUE_OVERHANG * hit.line.height)
    if same_row(hit.line, found):  # a value right of its label starts after it
        leftmost = max(leftmost, hit.line.right - hit.line.height)
    others = [line for line in lines if line is not hit.line]  # a label read as no label (称)
    row = row_chain(found, others, labels, leftmost)
    return [join_texts(row)], row, row[0].left


def read_value(
    hit: LabelHit, lines: list[Line], labels: tuple[str, ...], max_lines: int = 1
) -> ValueRead | None:
    """The value of a label: on its line, to its right or below, plus up to max_lines - 1 wraps."""
    lines = [line for line in lines if not is_watermark(line.text)]  # passed over
    first_row = _first_row(hit, lines, labels)
    if first_row is None:
        return None
    parts, used, value_left = first_row
    rows = 1
    while rows < max_lines:
        open_bracket = has_unclosed_bracket("".join(parts))
        following = _continuation(used[-1], value_left, lines, labels, open_bracket)
        if following is None:
            break
        used.append(following)
        parts.append(following.text)
        rows += 1
    text = strip_edge_noise("".join(parts))
    return ValueRead(text, used) if text else None
