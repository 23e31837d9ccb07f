"""The registration authority (登记机关) of a license, often half hidden under the red seal."""

import re

from pipeline.fields.draft import Draft, Page
from pipeline.fields.labels import ValueRead, row_chain
from pipeline.fields.lines import Line, evidence, join_texts
from pipeline.names import strip_edge_noise, within_one_slip
from schemas import FieldEvidence

# What the text of a registration authority ends with.
AUTHORITY_ENDINGS = ("市场监督管理局", "工商行政管理局", "行政审批局", "市场监管局")
_YEAR = re.compile(r"(?:19|20)\d{2}\D")


def _authority_row(page: Page) -> list[Line] | None:
    """The lowest row that reads like a registration authority (for a label lost in the seal)."""
    for line in reversed(page.lines):
        row = row_chain(line, page.lines, page.labels, leftmost=0)
        if authority_ending(join_texts(row)) is not None:
            return row
    return None


def _clean_authority(text: str) -> tuple[str, str | None]:
    """The authority without a date after it; a misread character of its ending repaired."""
    match = _YEAR.search(text)
    text = strip_edge_noise(text[: match.start()] if match else text)
    found = authority_ending(text)
    if found is None or found[0] == found[1]:
        return text, None
    tail, ending = found
    return text[: -len(tail)] + ending, f"{tail}→{ending}"


def authority_ending(text: str) -> tuple[str, str] | None:
    """(the tail as read, the fixed ending) when text ends with an ending or one slip of it."""
    for ending in AUTHORITY_ENDINGS:
        for tail in (text[-len(ending) :], text[-len(ending) + 1 :]):
            if len(text) > len(tail) and within_one_slip(tail, ending):
                return tail, ending
    return None


def _put_authority(draft: Draft, text: str, proof: FieldEvidence) -> bool:
    """Record a cleaned authority text; False when nothing is left of it."""
    cleaned, repair = _clean_authority(text)
    if not cleaned:
        return False
    notes = "；".join(part for part in (proof.note, repair) if part) or None
    draft.put("issuing_authority", cleaned, proof.model_copy(update={"note": notes}))
    return True


def read_authority(draft: Draft, page: Page, variants: tuple[str, ...]) -> None:
    """登记机关: next to its label, else the lowest row that reads like an authority."""
    found = page.value(variants)
    if isinstance(found, ValueRead) and _put_authority(draft, found.text, evidence(found.lines)):
        return
    row = _authority_row(page)
    note = "未找到「登记机关」标签，按机关名称认出"
    if row is not None and _put_authority(draft, join_texts(row), evidence(row, note)):
        return
    reason = "未找到标签「登记机关」" if found is None else "登记机关仅在印章中或无法识别"
    draft.miss("issuing_authority", reason)
