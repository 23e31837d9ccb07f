"""Paragraphs found by geometry alone, before any of their text is read.

A license's 经营范围 is a paragraph: lines of the same height stacked one under the other,
wrapped at the same right edge (the column's). No field value runs over three such lines,
so a run of them is a paragraph whose first line says what it is."""

import statistics
from dataclasses import dataclass

from pipeline.ocr.base import BoxEdges
from schemas import Box

MIN_LINES = 3  # lines of a paragraph: a name or an address wraps onto two at most
RIGHT_SLACK = 1.5  # line heights two wrapped lines' right edges may differ
LINE_GAP = 1.0  # line heights between a line's bottom and the next one's top, at most
OVERLAP = 0.5  # line heights two stacked boxes may overlap (tight line spacing)
HEIGHT_RATIO = 1.3  # two lines of one paragraph: the taller at most this times the other


@dataclass(frozen=True)
class _Edges(BoxEdges):
    box: Box

    @property
    def height(self) -> float:
        return self.bottom - self.top


def paragraph_runs(boxes: list[Box]) -> list[list[int]]:
    """Indexes of the boxes in each run of at least MIN_LINES stacked lines wrapped at one
    right edge, top line first."""
    edges = [_Edges(box) for box in boxes]
    chains: list[list[int]] = []
    for index in sorted(range(len(boxes)), key=lambda i: edges[i].top):
        chain = next((c for c in chains if _continues(edges[c[-1]], edges[index])), None)
        if chain is None:
            chains.append([index])
        else:
            chain.append(index)
    return [chain for chain in chains if len(chain) >= MIN_LINES]


def _continues(above: _Edges, line: _Edges) -> bool:
    """Whether `line` can be the next line of a paragraph whose last line is `above`."""
    height = statistics.mean((above.height, line.height))
    if max(above.height, line.height) > HEIGHT_RATIO * min(above.height, line.height):
        return False
    gap = line.top - above.bottom
    return (
        -OVERLAP * height <= gap <= LINE_GAP * height
        and abs(line.right - above.right) <= RIGHT_SLACK * height
    )


def stacked_above(line: BoxEdges, box: Box) -> bool:
    """Whether `line` is the line right above `box` in one column: overlapping it across, its
    bottom at most LINE_GAP of the box's height above the box's top."""
    under = _Edges(box)
    gap = under.top - line.bottom
    across = min(line.right, under.right) - max(line.left, under.left)
    return -OVERLAP * under.height <= gap <= LINE_GAP * under.height and across > 0
