"""Where each character of a line stands, from the recognizer's time steps, and cutting lines.

PP-OCR's recognizer reads a line crop resized to height 48 and emits one time step per 8
input columns (`CtcMatrix.step_width` is one step's share of the crop's width); the greedy
path's runs give each character's steps, hence its place along the box. A line can then be
cut where a column gap or a label ends instead of guessing from character counts.
"""

import dataclasses
import itertools

from pipeline.fields.lines import Line
from pipeline.ocr.ctc import CtcMatrix, matrix_best_path
from pipeline.standards.text import normalize_text

# A crop this much taller than wide is turned upright by PaddleOCR: its steps run down the box.
UPRIGHT_CROP_RATIO = 1.5
# A gap between two characters wider than this many line heights separates two columns.
COLUMN_GAP = 1.6

Steps = tuple[int, int]  # a character's time steps [start, end)


def char_steps(line: Line) -> list[Steps] | None:
    """The time steps of each character of `line.text` (left to right), or None when the
    line has no usable recognizer matrix (none, turned, upright crop, text changed since)."""
    matrix = line.ctc
    if matrix is None or matrix.step_width <= 0 or matrix.turned or _is_upright_crop(line):
        return None
    runs, _ = matrix_best_path(matrix)
    steps: list[Steps] = []
    text = ""
    for run in runs:
        piece = normalize_text(matrix.charset.characters[run.index])
        steps += [(run.start, run.end)] * len(piece)
        text += piece
    return steps if text == line.text else None


def _is_upright_crop(line: Line) -> bool:
    return line.bottom - line.top >= UPRIGHT_CROP_RATIO * (line.right - line.left)


def cut_step(line: Line, index: int) -> int | None:
    """The time step to cut `line` at before character `index`: midway between the
    characters on both sides; None without character positions."""
    steps = char_steps(line)
    if steps is None or not 0 < index < len(steps):
        return None
    return (steps[index - 1][1] + steps[index][0]) // 2


def column_gaps(line: Line) -> list[tuple[int, int]]:
    """Where a line spans a column gap: (index of the character after it, cut step)."""
    steps = char_steps(line)
    if steps is None or line.ctc is None:
        return []
    step_pixels = line.ctc.step_width * (line.right - line.left)
    limit = COLUMN_GAP * line.height
    return [
        (index, (before[1] + after[0]) // 2)
        for index, (before, after) in enumerate(itertools.pairwise(steps), start=1)
        if (after[0] - before[1]) * step_pixels > limit
    ]


def split_at(line: Line, cuts: list[tuple[int, int]]) -> list[Line]:
    """The line cut before each (character index, time step): boxes interpolated along the
    quadrilateral's edges, each piece with its slice of the recognizer matrix."""
    matrix = line.ctc
    if matrix is None:
        raise ValueError("a line is cut at its recognizer's time steps")
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _quad(line)

    def edge(step: int) -> tuple[tuple[float, float], tuple[float, float]]:
        share = min(step * matrix.step_width, 1.0)
        top = (x0 + share * (x1 - x0), y0 + share * (y1 - y0))
        return top, (x3 + share * (x2 - x3), y3 + share * (y2 - y3))

    bounds = [(0, 0), *cuts, (len(line.text), max(matrix.steps, round(1 / matrix.step_width)))]
    pieces = []
    for (start, first), (end, last) in itertools.pairwise(bounds):
        (top_left, bottom_left), (top_right, bottom_right) = edge(first), edge(last)
        text = line.text[start:end]
        box = [top_left, top_right, bottom_right, bottom_left]
        ctc = _slice(matrix, first, min(last, matrix.steps), last - first)
        pieces.append(dataclasses.replace(line, text=text, raw=text, box=box, ctc=ctc))
    return pieces


def _slice(matrix: CtcMatrix, first: int, last: int, width_steps: int) -> CtcMatrix:
    """Steps [first, last) of a matrix, as the matrix of a crop `width_steps` steps wide."""
    begin, end = int(matrix.starts[first]), int(matrix.starts[last])
    return CtcMatrix(
        matrix.starts[first : last + 1] - begin,
        matrix.classes[begin:end],
        matrix.log_probs[begin:end],
        matrix.floor[first:last],
        matrix.charset,
        step_width=1 / max(width_steps, 1),
    )


def _quad(line: Line) -> list[tuple[float, float]]:
    if len(line.box) == 4:
        return list(line.box)
    return [(line.left, line.top), (line.right, line.top), (line.right, line.bottom),
            (line.left, line.bottom)]  # fmt: skip


def split_at_gaps(lines: list[Line]) -> list[Line]:
    """Every line cut at its column gaps (two columns of a row read as one box)."""
    result: list[Line] = []
    for line in lines:
        gaps = column_gaps(line)
        result += split_at(line, gaps) if gaps else [line]
    return sorted(result, key=lambda item: (item.page, item.top, item.left))
