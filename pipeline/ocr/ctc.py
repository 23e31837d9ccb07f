"""CTC probability matrices of recognized lines, the forward algorithm and greedy decoding.

Pure numpy: the engine fills `CtcMatrix` objects, everything here works without paddle.
Probabilities are kept as natural logarithms (nats) throughout.
"""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from pipeline.standards.text import normalize_text

BLANK = 0  # CTC blank: index 0 of PaddleOCR's character list
TOP_K = 5  # characters kept per time step (docs/CLAIMS.md: why 5 is enough)
SPACE_KEY = " "  # every white space character of the charset folds to this key
NEG_INF = float("-inf")
LabelT = TypeVar("LabelT", bound=Hashable)


@dataclass(frozen=True, eq=False, repr=False)
class Charset:
    """The recognizer's output classes (index 0 = blank) and their groups of equivalent
    characters: every class whose NFKC form is the same single character (（ and (, Ａ and A)."""

    characters: tuple[str, ...]
    groups: dict[str, tuple[int, ...]] = field(init=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, char in enumerate(self.characters[1:], start=1):
            groups[fold(char)].append(index)
        object.__setattr__(self, "groups", {key: tuple(ids) for key, ids in groups.items()})

    def __len__(self) -> int:
        return len(self.characters)


def fold(char: str) -> str:
    """The key of a character's group: its normalized form if that is one character,
    the space for white space, else the character itself (㎡, ①: kept apart)."""
    if char.isspace():
        return SPACE_KEY
    folded = normalize_text(char)
    return folded if len(folded) == 1 else char


@dataclass(frozen=True, eq=False, repr=False)
class CtcMatrix:
    """One line's recognizer output, compact: at each time step the `k` likeliest classes
    (likeliest first) and a floor log-probability standing for every other class."""

    indices: np.ndarray  # [T, k] int16 class indices
    log_probs: np.ndarray  # [T, k] float32
    floor: np.ndarray  # [T] float32: log-probability of any class outside the top k
    charset: Charset
    step_width: float = 0.0  # share of the line's crop width one time step covers
    turned: bool = False  # the crop was turned 180° before recognition: time runs right to left

    @classmethod
    def from_probs(
        cls,
        probs: np.ndarray,
        charset: Charset,
        top_k: int | None = TOP_K,
        step_width: float = 0.0,
        turned: bool = False,
    ) -> "CtcMatrix":
        """Compact a [T, C] softmax matrix; top_k=None keeps every class (exact)."""
        probs = np.asarray(probs)
        steps, classes = probs.shape
        k = classes if top_k is None else min(top_k, classes)
        part = np.argpartition(-probs, k - 1, axis=1)[:, :k] if k < classes else None
        top = np.tile(np.arange(classes), (steps, 1)) if part is None else part
        top_probs = np.take_along_axis(probs, top, axis=1).astype(np.float64)
        order = np.lexsort((top, -top_probs), axis=1)  # likeliest first, ties: lowest index
        top, top_probs = np.take_along_axis(top, order, 1), np.take_along_axis(top_probs, order, 1)
        rest = np.clip(probs.sum(axis=1, dtype=np.float64) - top_probs.sum(axis=1), 0.0, None)
        floor = _floor(top_probs[:, -1], rest, classes - k)
        with np.errstate(divide="ignore"):
            logs = np.log(top_probs)
        return cls(
            top.astype(np.int16),
            logs.astype(np.float32),
            floor.astype(np.float32),
            charset,
            step_width,
            turned,
        )

    @property
    def steps(self) -> int:
        """T, the number of time steps."""
        return int(self.indices.shape[0])

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the charset is shared by every line)."""
        return int(self.indices.nbytes + self.log_probs.nbytes + self.floor.nbytes)

    def columns(self, classes: Sequence[int]) -> np.ndarray:
        """[T, len(classes)] log-probabilities of the given classes at every step."""
        wanted = np.asarray(classes, dtype=np.int64)
        hits = self.indices[:, :, None] == wanted[None, None, :]
        kept = np.where(hits, self.log_probs[:, :, None], NEG_INF).max(axis=1)
        return np.where(hits.any(axis=1), kept, self.floor[:, None])

    def dense(self) -> np.ndarray:
        """[T, C] log-probabilities, classes outside the top k at their floor."""
        matrix = np.repeat(self.floor[:, None].astype(np.float64), len(self.charset), axis=1)
        np.put_along_axis(matrix, self.indices.astype(np.int64), self.log_probs, axis=1)
        return matrix


def _floor(kth: np.ndarray, rest: np.ndarray, others: int) -> np.ndarray:
    """Log of what any class outside the top k may have: never more than the k-th class,
    nor more than all the rest together (an upper bound: a claim is never scored too low)."""
    if others == 0:
        return np.full(kth.shape, NEG_INF)
    with np.errstate(divide="ignore"):
        return np.log(np.minimum(kth, rest))


def concatenate(matrices: Sequence[CtcMatrix]) -> tuple[CtcMatrix, list[int]]:
    """The lines' matrices one after the other in reading order, a certain blank between
    two lines (so a character ending one line and starting the next stays two); and the
    step at which each line starts."""
    if not matrices:
        raise ValueError("no matrices to concatenate")
    charset, width = matrices[0].charset, matrices[0].indices.shape[1]
    if any(m.charset is not charset or m.indices.shape[1] != width for m in matrices):
        raise ValueError("matrices of different recognizers or widths cannot be concatenated")
    separator = CtcMatrix(
        np.zeros((1, width), np.int16),
        np.array([[0.0] + [NEG_INF] * (width - 1)], np.float32),
        np.array([NEG_INF], np.float32),
        charset,
    )
    parts: list[CtcMatrix] = []
    starts: list[int] = []
    for matrix in matrices:
        if parts:
            parts.append(separator)
        starts.append(sum(part.steps for part in parts))
        parts.append(matrix)
    joined = CtcMatrix(
        np.concatenate([p.indices for p in parts]),
        np.concatenate([p.log_probs for p in parts]),
        np.concatenate([p.floor for p in parts]),
        charset,
    )
    return joined, starts


def forward_log_prob(matrix_log: np.ndarray, labels: Sequence[int]) -> float:
    """log P(labels | matrix): the CTC forward algorithm over a dense [T, C] log matrix."""
    extended = extend(list(labels))
    return forward_extended(np.asarray(matrix_log)[:, extended], extended)


def extend(labels: Sequence[LabelT]) -> list[LabelT | int]:
    """blank, l1, blank, l2, …, blank: the states of the CTC alignment lattice."""
    extended: list[LabelT | int] = [BLANK]
    for label in labels:
        extended += [label, BLANK]
    return extended


def forward_extended(emissions: np.ndarray, extended: Sequence[Hashable]) -> float:
    """Sum over all alignments, in log space: emissions [T, S] gives each state's
    log-probability at each step; a state may repeat, advance by one, or skip the blank
    before it unless the label is the same as two states back (a repeat needs a blank)."""
    steps, states = emissions.shape
    if steps == 0:
        return 0.0 if states == 1 else NEG_INF
    skips = np.array(
        [s >= 2 and extended[s] != BLANK and extended[s] != extended[s - 2] for s in range(states)]
    )
    alpha = np.full(states, NEG_INF)
    alpha[: min(2, states)] = emissions[0, : min(2, states)]
    for step in range(1, steps):
        previous = alpha
        alpha = previous.copy()
        alpha[1:] = np.logaddexp(alpha[1:], previous[:-1])
        alpha[2:] = np.where(skips[2:], np.logaddexp(alpha[2:], previous[:-2]), alpha[2:])
        alpha = alpha + emissions[step]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if states > 1 else alpha[-1])


@dataclass(frozen=True)
class Run:
    """One character of a greedy reading and the time steps [start, end) that emit it."""

    index: int
    start: int
    end: int


def best_path(matrix_log: np.ndarray) -> tuple[list[int], float]:
    """Greedy decoding of a dense [T, C] log matrix: the collapsed class indices of the
    likeliest path and that single path's log-probability."""
    matrix_log = np.asarray(matrix_log)
    steps = np.arange(matrix_log.shape[0])
    top = matrix_log.argmax(axis=1)
    runs = greedy_runs(top)
    return [run.index for run in runs], float(matrix_log[steps, top].sum())


def greedy_runs(top: np.ndarray) -> list[Run]:
    """The characters a path of class indices reads: repeats merged, blanks dropped."""
    runs: list[Run] = []
    previous = BLANK
    for step, index in enumerate(top.tolist()):
        if index != BLANK and index == previous:
            runs[-1] = Run(index, runs[-1].start, step + 1)
        elif index != BLANK:
            runs.append(Run(index, step, step + 1))
        previous = index
    return runs


def matrix_best_path(matrix: CtcMatrix) -> tuple[list[Run], float]:
    """Greedy decoding of a compact matrix: its runs and the path's log-probability."""
    return greedy_runs(matrix.indices[:, 0].astype(np.int64)), float(matrix.log_probs[:, 0].sum())


def read_text(matrix: CtcMatrix) -> str:
    """The greedy reading of a matrix as text (what PaddleOCR reports, before stripping)."""
    runs, _ = matrix_best_path(matrix)
    return "".join(matrix.charset.characters[run.index] for run in runs)
