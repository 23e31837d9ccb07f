"""Score what a form claims against the recognizer's CTC output of the lines it was read from.

The claim replaces its part of the greedy reading (the rest of the line, labels and debris,
stays as read) and both strings are scored with the CTC forward algorithm: the difference
says how much less (or more) likely the document makes the claim than its own best reading.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.ocr.ctc import (
    BLANK,
    SPACE_KEY,
    CtcMatrix,
    Run,
    concatenate,
    extend,
    fold,
    forward_extended,
    matrix_best_path,
)
from pipeline.standards.text import normalize_text
from schemas import Box

Label = tuple[int, ...]  # the classes that read as one character (its group in the charset)


@dataclass(frozen=True)
class Doubt:
    """One place where the claim and the best reading differ."""

    claimed: str  # "" where the claim lacks a character the reading has
    read: str  # "" where the claim has a character the reading lacks
    steps: tuple[int, int]  # time steps [start, end) in the (concatenated) matrix
    line: int  # which of the scored lines, in the order given
    span: tuple[float, float]  # share of that line's width, left to right on the page
    claimed_prob: float | None  # the claimed character's highest probability in those steps
    read_prob: float | None  # the read character's highest probability in those steps


@dataclass(frozen=True)
class ClaimScore:
    """The evidence a line (or lines) give for a claimed string; log-probabilities in nats."""

    claimed: str  # the claim, normalized (NFKC, no white space)
    reading: str  # the greedy reading of the line(s)
    matched: str  # the part of the reading the claim stands in for
    unknown: tuple[str, ...]  # claimed characters the recognizer cannot output at all
    claim_log_prob: float | None  # the reading with the claim in place; None if unknown
    reading_log_prob: float  # the greedy reading, summed over all its alignments
    best_path_log_prob: float  # the single likeliest path
    doubts: tuple[Doubt, ...]

    @property
    def margin(self) -> float | None:
        """log P(claim) − log P(reading): 0 when they agree, very negative for a clear
        different character, positive when the claim is likelier than the greedy reading."""
        if self.claim_log_prob is None:
            return None
        return self.claim_log_prob - self.reading_log_prob

    @property
    def margin_per_char(self) -> float | None:
        """The margin divided by the claim's length."""
        margin = self.margin
        return None if margin is None else margin / max(len(self.claimed), 1)


def score_claim(matrix: CtcMatrix, claimed: str, located: str | None = None) -> ClaimScore:
    """Score a claim against one line; see score_over_lines."""
    return score_over_lines([matrix], claimed, located)


def score_over_lines(
    matrices: Sequence[CtcMatrix], claimed: str, located: str | None = None
) -> ClaimScore:
    """Score a claim against lines read in this order (a name wrapped on two lines).

    `located` is the document's reading of the field from these lines (as extracted): the
    claim stands in for that part of the reading. Without it the claim stands in for the
    part of the reading it matches best, and any text around it is kept as read."""
    read = _Reading.of(matrices)
    claim = list(normalize_text(claimed))
    target = claim if located is None else list(normalize_text(located))
    start, end, _ = align(target, read.keys, free_ends=True)
    _, _, inside = align(claim, read.keys[start:end], free_ends=False)
    pairs = [(at, None if r is None else r + start) for at, r in inside]
    unknown = tuple(dict.fromkeys(key for key in claim if key not in read.groups))
    claim_log_prob = None
    if not unknown:
        labels = read.labels[:start] + _claim_labels(pairs, claim, read) + read.labels[end:]
        claim_log_prob = _log_prob(read.joined, labels)
    return ClaimScore(
        claimed="".join(claim),
        reading="".join(read.chars),
        matched="".join(read.chars[start:end]),
        unknown=unknown,
        claim_log_prob=claim_log_prob,
        reading_log_prob=_log_prob(read.joined, read.labels),
        best_path_log_prob=read.best_path_log_prob,
        doubts=_doubts(pairs, claim, read, start),
    )


@dataclass(frozen=True)
class _Reading:
    """The greedy reading of the scored lines, joined, with what scoring needs of it."""

    lines: Sequence[CtcMatrix]
    joined: CtcMatrix
    starts: list[int]  # the step each line starts at in `joined`
    runs: list[Run]
    chars: list[str]
    keys: list[str]  # each character's group key
    labels: list[Label]  # each character's group of classes
    best_path_log_prob: float

    @property
    def groups(self) -> dict[str, Label]:
        """Group key → the classes that read as that character."""
        return self.joined.charset.groups

    @classmethod
    def of(cls, lines: Sequence[CtcMatrix]) -> "_Reading":
        """Join the lines' matrices and decode them greedily."""
        joined, starts = concatenate(lines)
        runs, best_path_log_prob = matrix_best_path(joined)
        chars = [joined.charset.characters[run.index] for run in runs]
        keys = [fold(char) for char in chars]
        groups = joined.charset.groups
        labels = [groups.get(key, (run.index,)) for run, key in zip(runs, keys, strict=True)]
        return cls(lines, joined, starts, runs, chars, keys, labels, best_path_log_prob)


Pair = tuple[int | None, int | None]  # (claim position, reading position); None = a gap


def align(claim: list[str], read: list[str], free_ends: bool) -> tuple[int, int, list[Pair]]:
    """Levenshtein alignment of the claim with the reading (white space in the reading costs
    nothing to skip); with free_ends, with its best-matching part only (the rightmost of
    equally good ones). Returns that part [start, end) and the aligned pairs within it."""
    rows, cols = len(claim), len(read)
    cost = np.zeros((rows + 1, cols + 1))
    cost[:, 0] = np.arange(rows + 1)
    for col in range(1, cols + 1):
        skip = _skip_cost(read[col - 1])
        cost[0, col] = 0 if free_ends else cost[0, col - 1] + skip
        for row in range(1, rows + 1):
            cost[row, col] = min(
                cost[row - 1, col - 1] + (claim[row - 1] != read[col - 1]),
                cost[row - 1, col] + 1,
                cost[row, col - 1] + skip,
            )
    last = cost[rows]
    end = int(np.flatnonzero(last == last.min())[-1]) if free_ends else cols
    row, col = rows, end
    pairs: list[Pair] = []
    while row > 0 or (col > 0 and not free_ends):
        if (
            row
            and col
            and cost[row, col] == cost[row - 1, col - 1] + (claim[row - 1] != read[col - 1])
        ):
            row, col = row - 1, col - 1
            pairs.append((row, col))
        elif row and cost[row, col] == cost[row - 1, col] + 1:
            row -= 1
            pairs.append((row, None))
        else:
            col -= 1
            pairs.append((None, col))
    pairs.reverse()
    return col, end, pairs


def _skip_cost(key: str) -> int:
    """What leaving a read character out of the claim costs: nothing for white space."""
    return 0 if key == SPACE_KEY else 1


def _claim_labels(pairs: list[Pair], claim: list[str], read: _Reading) -> list[Label]:
    """The labels of the aligned part with the claim in place (read spaces stay)."""
    labels = []
    for claim_at, read_at in pairs:
        if claim_at is not None:
            labels.append(read.groups[claim[claim_at]])
        elif read_at is not None and read.keys[read_at] == SPACE_KEY:
            labels.append(read.labels[read_at])
    return labels


def _log_prob(matrix: CtcMatrix, labels: list[Label]) -> float:
    """log P(labels): each label's group of classes summed at every step, then CTC forward."""
    distinct = list(dict.fromkeys(labels))
    classes = sorted({BLANK, *(index for label in distinct for index in label)})
    columns = matrix.columns(classes)
    position = {index: at for at, index in enumerate(classes)}
    by_label = {
        label: np.logaddexp.reduce(columns[:, [position[i] for i in label]], axis=1)
        for label in distinct
    }
    extended = extend(labels)
    emissions = [
        by_label[state] if isinstance(state, tuple) else columns[:, position[BLANK]]
        for state in extended
    ]
    return forward_extended(np.stack(emissions, axis=1), extended)


def _doubts(pairs: list[Pair], claim: list[str], read: _Reading, start: int) -> tuple[Doubt, ...]:
    """The differences between the claim and the reading, where they are and how sure."""
    doubts, last_read = [], start - 1
    for claim_at, read_at in pairs:
        if read_at is not None:
            last_read = read_at
        if claim_at is None and (read_at is None or read.keys[read_at] == SPACE_KEY):
            continue
        if claim_at is not None and read_at is not None and claim[claim_at] == read.keys[read_at]:
            continue
        claimed = "" if claim_at is None else claim[claim_at]
        steps = _steps(read, read_at, last_read)
        doubts.append(_doubt(read, claimed, read_at, steps))
    return tuple(doubts)


def _steps(read: _Reading, read_at: int | None, last_read: int) -> tuple[int, int]:
    """The steps of a read character, or of the gap after `last_read` where the claim has
    a character the reading lacks (at least one step either side when the two touch)."""
    if read_at is not None:
        return read.runs[read_at].start, read.runs[read_at].end
    total = read.joined.steps
    after = read.runs[last_read].end if last_read >= 0 else 0
    before = read.runs[last_read + 1].start if last_read + 1 < len(read.runs) else total
    if before > after:
        return after, before
    return max(after - 1, 0), min(before + 1, total)


def _doubt(read: _Reading, claimed: str, read_at: int | None, steps: tuple[int, int]) -> Doubt:
    """One difference with its line, its share of the line's width and both probabilities."""
    line = max(i for i, first in enumerate(read.starts) if first <= steps[0])
    first = read.starts[line]
    return Doubt(
        claimed=claimed,
        read="" if read_at is None else read.chars[read_at],
        steps=steps,
        line=line,
        span=_span(read.lines[line], steps[0] - first, steps[1] - first),
        claimed_prob=_peak(read.joined, read.groups.get(claimed), steps) if claimed else None,
        read_prob=None if read_at is None else _peak(read.joined, read.labels[read_at], steps),
    )


def _span(line: CtcMatrix, first: int, last: int) -> tuple[float, float]:
    """Steps [first, last) of a line as a share of its width, left to right on the page."""
    left = min(max(first * line.step_width, 0.0), 1.0)
    right = min(max(last * line.step_width, 0.0), 1.0)
    return (1.0 - right, 1.0 - left) if line.turned else (left, right)


def _peak(matrix: CtcMatrix, label: Label | None, steps: tuple[int, int]) -> float | None:
    """The highest probability the label's classes reach together within the steps."""
    if label is None:
        return None
    columns = matrix.columns(label)[steps[0] : steps[1]]
    return float(np.exp(np.logaddexp.reduce(columns, axis=1)).max()) if len(columns) else None


def span_box(box: Box, span: tuple[float, float]) -> Box:
    """The part of a line's quadrilateral (clockwise from top-left) covering a share of its
    width: interpolated along the top and the bottom edges."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
    left, right = span

    def along(a: tuple[float, float], b: tuple[float, float], share: float) -> tuple[float, float]:
        return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)

    top, bottom = ((x0, y0), (x1, y1)), ((x3, y3), (x2, y2))
    return [
        along(*top, left),
        along(*top, right),
        along(*bottom, right),
        along(*bottom, left),
    ]
