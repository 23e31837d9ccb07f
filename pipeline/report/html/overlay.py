"""Evidence boxes drawn over a page image: scaled to the preview, labels kept apart."""

import statistics
from dataclasses import dataclass, replace

from pipeline.report.html.agreement import STATE_LABELS, FieldState
from schemas import FieldEvidence

LABEL_GAP = 4.0
LABEL_SIZE_RANGE = (14.0, 22.0)  # preview pixels


@dataclass(frozen=True)
class BoxView:
    """One evidence quadrilateral in preview pixels, coloured by agreement."""

    anchor: str
    label: str
    state: FieldState
    points: str
    label_x: float
    label_y: float
    height: float
    tooltip: str


def scaled_box(
    anchor: str, evidence: FieldEvidence, scale: float, state: FieldState, label: str
) -> BoxView:
    """A box scaled from normalized-page pixels to preview pixels, its label above it."""
    scaled = [(x * scale, y * scale) for x, y in evidence.box or []]
    return BoxView(
        anchor=anchor,
        label=label,
        state=state,
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in scaled),
        label_x=round(min(x for x, _ in scaled), 1),
        label_y=round(min(y for _, y in scaled) - 3, 1),
        height=max(y for _, y in scaled) - min(y for _, y in scaled),
        tooltip=f"{label}：{evidence.text}（{STATE_LABELS[state]}）",
    )


def label_size_for(boxes: list[BoxView]) -> float:
    """A label size in step with the page's text: three quarters of the median box height."""
    smallest, largest = LABEL_SIZE_RANGE
    if not boxes:
        return smallest
    size = statistics.median(box.height for box in boxes) * 0.75
    return round(min(max(size, smallest), largest), 1)


def place_labels(boxes: list[BoxView], label_size: float) -> list[BoxView]:
    """Keep labels inside the image and off each other (fields often share one text line)."""
    placed: list[BoxView] = []
    for box in boxes:
        if box.label_y < label_size:
            box = replace(box, label_y=round(box.label_y + label_size + 6, 1))
        while (blocker := _first_overlap(box, placed, label_size)) is not None:
            box = replace(box, label_x=round(_right_edge(blocker, label_size) + LABEL_GAP, 1))
        placed.append(box)
    return placed


def _right_edge(box: BoxView, label_size: float) -> float:
    """Where a label's text ends: CJK characters are about one em wide."""
    return box.label_x + len(box.label) * label_size


def _first_overlap(box: BoxView, placed: list[BoxView], label_size: float) -> BoxView | None:
    """The first placed label whose text would be covered by this one."""
    for other in placed:
        same_row = abs(other.label_y - box.label_y) < label_size
        if (
            same_row
            and box.label_x < _right_edge(other, label_size)
            and other.label_x < (_right_edge(box, label_size))
        ):
            return other
    return None
