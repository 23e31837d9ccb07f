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
KEEP_ABOVE = 1e-6  # classes kept per time step: at least this likely (docs/CLAIMS.md)
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
    """One line's recognizer output, sparse: at each time step every class at least
    `KEEP_ABOVE` likely (likeliest first), and a floor log-probability that no other class
    at that step exceeds. Scores are exact wherever the claim's characters are kept, and
    never too low elsewhere (docs/CLAIMS.md)."""

    starts: np.ndarray  # [T + 1] int32: step t's entries are [starts[t], starts[t + 1])
    classes: np.ndarray  # [N] int16 class indices
    log_probs: np.ndarray  # [N] float32
    floor: np.ndarray  # [T] float32: upper bound of any class not kept at that step
    charset: Charset
    step_width: float = 0.0  # share of the line's crop width one time step covers
    turned: bool = False  # the crop was turned 180° before recognition: time runs right to left

    @classmethod
    def from_probs(
        cls,
        probs: np.ndarray,
        charset: Charset,
        keep_above: float = KEEP_ABOVE,
        step_width: float = 0.0,
        turned: bool = False,
    ) -> "CtcMatrix":
        """Sparsify a [T, C] softmax matrix; keep_above=0 keeps every class (exact)."""
        probs = np.asarray(probs)
        steps = np.arange(probs.shape[0])
        keep = probs >= keep_above
        keep[steps, probs.argmax(axis=1)] = True  # the greedy path is always kept
        step_of, class_of = np.nonzero(keep)
        kept = probs[step_of, class_of].astype(np.float64)
        order = np.lexsort((class_of, -kept, step_of))  # by step, likeliest first
        step_of, class_of, kept = step_of[order], class_of[order], kept[order]
        counts = np.bincount(step_of, minlength=len(steps))
        rest = probs.sum(axis=1, dtype=np.float64) - np.bincount(
            step_of, weights=kept, minlength=len(steps)
        )
        with np.errstate(divide="ignore"):
            floor = np.log(np.minimum(np.clip(rest, 0.0, None), keep_above))
            logs = np.log(kept)
        return cls(
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int32),
            class_of.astype(np.int16),
            logs.astype(np.float32),
            floor.astype(np.float32),
            charset,
            step_width,
            turned,
        )

    @property
    def steps(self) -> int:
        """T, the number of time steps."""
        return len(self.starts) - 1

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the charset is shared by every line)."""
        arrays = (self.starts, self.classes, self.log_probs, self.floor)
        return sum(int(array.nbytes) for array in arrays)

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        """The likeliest class at each step and its log-probability."""
        first = self.starts[:-1]
        return self.classes[first].astype(np.int64), self.log_probs[first].astype(np.float64)

    def columns(self, classes: Sequence[int]) -> np.ndarray:
        """[T, len(classes)] log-probabilities of the given (distinct) classes."""
        wanted = np.asarray(classes, dtype=np.int64)
        out = np.repeat(self.floor[:, None].astype(np.float64), len(wanted), axis=1)
        order = np.argsort(wanted)
        hit = np.isin(self.classes, wanted)
        column = order[np.searchsorted(wanted[order], self.classes[hit])]
        out[self._entry_steps()[hit], column] = self.log_probs[hit]
        return out

    def dense(self) -> np.ndarray:
        """[T, C] log-probabilities, classes not kept at their floor."""
        out = np.repeat(self.floor[:, None].astype(np.float64), len(self.charset), axis=1)
        out[self._entry_steps(), self.classes.astype(np.int64)] = self.log_probs
        return out

    def _entry_steps(self) -> np.ndarray:
        """The step of every entry."""
        return np.repeat(np.arange(self.steps), np.diff(self.starts))


def concatenate(matrices: Sequence[CtcMatrix]) -> tuple[CtcMatrix, list[int]]:
    """The lines' matrices one after the other in reading order, a certain blank between
    two lines (so a character ending one line and starting the next stays two); and the
    step at which each line starts."""
    if not matrices:
        raise ValueError("no matrices to concatenate")
    charset = matrices[0].charset
    if any(matrix.charset is not charset for matrix in matrices):
        raise ValueError("matrices of different recognizers cannot be concatenated")
    separator = CtcMatrix(
        np.array([0, 1], np.int32),
        np.array([BLANK], np.int16),
        np.array([0.0], np.float32),
        np.array([NEG_INF], np.float32),
        charset,
    )
    parts = [part for matrix in matrices for part in (separator, matrix)][1:]
    entry_offsets = np.cumsum([0] + [len(part.classes) for part in parts])
    step_offsets = np.cumsum([0] + [part.steps for part in parts])
    starts = [part.starts[:-1] + offset for part, offset in zip(parts, entry_offsets, strict=False)]
    joined = CtcMatrix(
        np.concatenate([*starts, entry_offsets[-1:]]).astype(np.int32),
        np.concatenate([part.classes for part in parts]),
        np.concatenate([part.log_probs for part in parts]),
        np.concatenate([part.floor for part in parts]),
        charset,
    )
    return joined, [int(offset) for offset in step_offsets[::2]]


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
    best, log_probs = matrix.best()
    return greedy_runs(best), float(log_probs.sum())


def read_text(matrix: CtcMatrix) -> str:
    """The greedy reading of a matrix as text (what PaddleOCR reports, before stripping)."""
    runs, _ = matrix_best_path(matrix)
    return "".join(matrix.charset.characters[run.index] for run in runs)


def reading_confidence(matrix: CtcMatrix) -> float:
    """How sure the greedy reading is: the mean of its characters' peak probabilities (close
    to PaddleOCR's line confidence, which takes each character's first step); 0 for a matrix
    that reads nothing."""
    best, log_probs = matrix.best()
    runs = greedy_runs(best)
    if not runs:
        return 0.0
    return float(np.mean([np.exp(log_probs[run.start : run.end].max()) for run in runs]))
