"""The recognized lines each compared field was read from, kept for the packet's checks.

The extractors record where a value stands (its evidence: the union box of the lines, or the
parts of lines, it was read from, on one page); the recognized lines that make up that box,
with their CTC matrices, are what the form's claim is scored against
(pipeline/checks/claims.py) — a whole line even where the value is only part of it (the
rest of the line stays as read). Found by geometry, so no extractor has to carry matrices
through its merges and cuts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.ocr.base import OcrLine, reading_order
from pipeline.ocr.ctc import CtcMatrix
from schemas import Box, FieldEvidence, FieldName

# The fields a form value is compared with (docs/RULES.md, "Comparisons").
COMPARED_FIELDS: tuple[FieldName, ...] = ("name", "number")
# A line is one of the field's when at least this share of its height lies in the evidence
# box's rows, and this share of its width (or of the box's, if narrower) in its columns.
MIN_HEIGHT_SHARE = 0.6
MIN_WIDTH_SHARE = 0.3


@dataclass(frozen=True)
class FieldLines:
    """The lines one field was read from, in reading order: matrices and page boxes."""

    page: int
    matrices: tuple[CtcMatrix, ...]
    boxes: tuple[Box, ...]


FieldLinesByName = dict[FieldName, FieldLines]


def field_lines(
    pages: list[list[OcrLine]],
    evidence: dict[FieldName, FieldEvidence],
    wanted: Iterable[FieldName] = COMPARED_FIELDS,
) -> FieldLinesByName:
    """For each wanted field with evidence, the recognized lines that make up its box (only
    lines that carry a CTC matrix; a field read from a text layer has none)."""
    found: FieldLinesByName = {}
    for name in wanted:
        proof = evidence.get(name)
        if proof is None or proof.box is None or not 0 <= proof.page < len(pages):
            continue
        inside = [
            line
            for line in reading_order(pages[proof.page])
            if line.ctc is not None and _part_of(line.box, proof.box)
        ]
        if inside:
            matrices = tuple(line.ctc for line in inside if line.ctc is not None)
            found[name] = FieldLines(proof.page, matrices, tuple(line.box for line in inside))
    return found


def _part_of(box: Box, outer: Box) -> bool:
    """Whether a line's box lies on the evidence box's rows and shares its columns."""
    top, bottom = _span([y for _, y in box])
    left, right = _span([x for x, _ in box])
    outer_top, outer_bottom = _span([y for _, y in outer])
    outer_left, outer_right = _span([x for x, _ in outer])
    rows = min(bottom, outer_bottom) - max(top, outer_top)
    columns = min(right, outer_right) - max(left, outer_left)
    narrower = min(right - left, outer_right - outer_left)
    return rows >= MIN_HEIGHT_SHARE * max(bottom - top, 1.0) and columns >= MIN_WIDTH_SHARE * max(
        narrower, 1.0
    )


def _span(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)
