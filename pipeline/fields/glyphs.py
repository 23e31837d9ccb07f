"""Where each character of a line stands, from the recognizer's time steps, and cutting lines.

PP-OCR's recognizer reads a line crop resized to height 48 and emits one time step per 8
input columns (`CtcMatrix.step_width` is one step's share of the crop's width); the greedy
path's runs give each character's steps, hence its share of the box's width. A line can then
be cut where a column gap or a label begins instead of guessing from character counts.
"""

import dataclasses
import itertools

from pipeline.fields.lines import Line
from pipeline.ocr.ctc import matrix_best_path
from pipeline.standards.text import normalize_text

# A crop this much taller than wide is turned upright by PaddleOCR: its steps run down the box.
UPRIGHT_CROP_RATIO = 1.5
# A gap between two characters wider than this many line heights separates two columns.
COLUMN_GAP = 1.6


def char_shares(line: Line) -> list[tuple[float, float]] | None:
    """Each character of `line.text`: the share of the box's width it spans (left, right),
    or None when the line has no usable recognizer matrix."""
    matrix = line.ctc
    if matrix is None or matrix.step_width <= 0 or _is_upright_crop(line):
        return None
    runs, _ = matrix_best_path(matrix)
    shares: list[tuple[float, float]] = []
    for run in runs:
        piece = normalize_text(matrix.charset.characters[run.index])
        left, right = run.start * matrix.step_width, run.end * matrix.step_width
        if matrix.turned:
            left, right = 1.0 - right, 1.0 - left
        shares += [(min(left, 1.0), min(right, 1.0))] * len(piece)
    text = "".join(normalize_text(matrix.charset.characters[run.index]) for run in runs)
    if text != line.text:
        return None
    return sorted(shares) if matrix.turned else shares


def _is_upright_crop(line: Line) -> bool:
    return line.bottom - line.top >= UPRIGHT_CROP_RATIO * (line.right - line.left)


def cut_share(line: Line, index: int) -> float | None:
    """Where (share of the width) to cut `line` before character `index`: midway between
    the characters on both sides, None without character positions."""
    shares = char_shares(line)
    if shares is None or not 0 < index < len(shares):
        return None
    return (shares[index - 1][1] + shares[index][0]) / 2


def x_at(line: Line, share: float) -> float:
    """The page x of a share of the line's width (along its top and bottom edges)."""
    if len(line.box) != 4:
        return line.left + share * (line.right - line.left)
    (x0, _), (x1, _), (x2, _), (x3, _) = line.box
    return ((x0 + share * (x1 - x0)) + (x3 + share * (x2 - x3))) / 2


def split_at(line: Line, cuts: list[tuple[int, float]]) -> list[Line]:
    """The line cut before each character index at its share of the width (boxes
    interpolated along the quadrilateral's edges); the pieces keep no recognizer matrix."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _quad(line)

    def edge(share: float) -> tuple[tuple[float, float], tuple[float, float]]:
        top = (x0 + share * (x1 - x0), y0 + share * (y1 - y0))
        return top, (x3 + share * (x2 - x3), y3 + share * (y2 - y3))

    bounds = [(0, 0.0), *cuts, (len(line.text), 1.0)]
    pieces = []
    for (start, left), (end, right) in itertools.pairwise(bounds):
        (top_left, bottom_left), (top_right, bottom_right) = edge(left), edge(right)
        text = line.text[start:end]
        box = [top_left, top_right, bottom_right, bottom_left]
        pieces.append(dataclasses.replace(line, text=text, raw=text, box=box, ctc=None))
    return pieces


def _quad(line: Line) -> list[tuple[float, float]]:
    if len(line.box) == 4:
        return list(line.box)
    return [(line.left, line.top), (line.right, line.top), (line.right, line.bottom),
            (line.left, line.bottom)]  # fmt: skip


def column_gaps(line: Line) -> list[tuple[int, float]]:
    """Where a line spans a column gap: (index of the character after it, cut share)."""
    shares = char_shares(line)
    if shares is None:
        return []
    width = line.right - line.left
    limit = COLUMN_GAP * line.height / max(width, 1.0)
    return [
        (index, (before[1] + after[0]) / 2)
        for index, (before, after) in enumerate(itertools.pairwise(shares), start=1)
        if after[0] - before[1] > limit
    ]


def split_at_gaps(lines: list[Line]) -> list[Line]:
    """Every line cut at its column gaps (two columns of a row read as one box)."""
    result: list[Line] = []
    for line in lines:
        gaps = column_gaps(line)
        result += split_at(line, gaps) if gaps else [line]
    return sorted(result, key=lambda item: (item.page, item.top, item.left))
