"""Faint text lines: boxes the detector finds only when a box is scored by its own polygon.

PaddleOCR's DB post-processing keeps a candidate box when the mean text probability inside
it reaches box_thresh (0.6). Its default "fast" score averages over the box's upright
bounding rectangle; on a slightly tilted or letter-spaced line that rectangle holds much
background, and real lines are dropped (a license's whole 名称 row, its USCC line). The
"slow" score averages over the box's own polygon. Both run on the same probability map (the
network runs once); the boxes only the polygon score keeps are the page's faint boxes,
read only when a document's essential field is missing (pipeline/document.py)."""

import copy
from typing import Any

import numpy as np

from pipeline.ocr.base import BoxEdges
from schemas import Box

MAX_SHARED_AREA = 0.5  # a faint box this much inside a kept box is the same line


class PolygonScoredBoxes:
    """The detector's post-processing, also run with the polygon score; the candidates of the
    last call that only the polygon score kept are taken with `take`."""

    def __init__(self, postprocess: Any) -> None:
        self._fast = postprocess
        self._slow = copy.copy(postprocess)
        self._slow.score_mode = "slow"
        self._last: np.ndarray | None = None

    def __call__(self, outputs: dict[str, Any], shape_list: Any) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = self._fast(outputs, shape_list)
        self._last = self._slow(outputs, shape_list)[0]["points"]
        return kept

    def take(self) -> np.ndarray | None:
        """The polygon-scored boxes of the last detection (once)."""
        found, self._last = self._last, None
        return found


class _Edges(BoxEdges):
    def __init__(self, box: Box) -> None:
        self.box = box

    @property
    def area(self) -> float:
        return max(self.right - self.left, 0.0) * max(self.bottom - self.top, 0.0)


def faint_only(polygon_scored: list[Box], kept: list[Box]) -> list[Box]:
    """The polygon-scored boxes that are not lines already kept: at most MAX_SHARED_AREA of
    each lies inside any kept box (upright bounding rectangles)."""
    kept_edges = [_Edges(box) for box in kept]
    candidates = [_Edges(box) for box in polygon_scored]
    return [
        candidate.box
        for candidate in candidates
        if all(_shared(candidate, other) <= MAX_SHARED_AREA for other in kept_edges)
    ]


def _shared(box: _Edges, other: _Edges) -> float:
    """The share of `box`'s area that lies inside `other`."""
    width = min(box.right, other.right) - max(box.left, other.left)
    height = min(box.bottom, other.bottom) - max(box.top, other.top)
    if width <= 0 or height <= 0 or box.area == 0:
        return 0.0
    return width * height / box.area
