"""The recognized lines each compared field was read from, kept for the packet's checks.

The extractors record where a value stands (its evidence: the union box of the lines it was
read from, on one page); the lines inside that box, with their CTC matrices, are what the
form's claim is scored against (pipeline/checks/claims.py). Found by geometry, so no
extractor has to carry matrices through its merges and cuts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.ocr.base import OcrLine, reading_order
from pipeline.ocr.ctc import CtcMatrix
from schemas import Box, FieldEvidence, FieldName

# The fields a form value is compared with (docs/RULES.md, "Comparisons").
COMPARED_FIELDS: tuple[FieldName, ...] = ("name", "number")
# How far (px) a line's box may stand outside the evidence box and still be one of its lines.
INSIDE_TOLERANCE = 1.0


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
    """For each wanted field with evidence, the recognized lines inside its box (only
    lines that carry a CTC matrix; a field read from a text layer has none)."""
    found: FieldLinesByName = {}
    for name in wanted:
        proof = evidence.get(name)
        if proof is None or proof.box is None or not 0 <= proof.page < len(pages):
            continue
        inside = [
            line
            for line in reading_order(pages[proof.page])
            if line.ctc is not None and _within(line.box, proof.box)
        ]
        if inside:
            matrices = tuple(line.ctc for line in inside if line.ctc is not None)
            found[name] = FieldLines(proof.page, matrices, tuple(line.box for line in inside))
    return found


def _within(box: Box, outer: Box) -> bool:
    """Whether every corner of `box` lies in the upright rectangle around `outer`."""
    left, right = min(x for x, _ in outer), max(x for x, _ in outer)
    top, bottom = min(y for _, y in outer), max(y for _, y in outer)
    tolerance = INSIDE_TOLERANCE
    return all(
        left - tolerance <= x <= right + tolerance and top - tolerance <= y <= bottom + tolerance
        for x, y in box
    )
