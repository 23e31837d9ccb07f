"""The registration authority (登记机关) of a license, often half hidden under the red seal."""

import re

from pipeline.fields.draft import Draft, Page
from pipeline.fields.labels import LabelHit, ValueRead, row_chain
from pipeline.fields.lines import Line, evidence, join_texts
from pipeline.standards.text import strip_edge_noise, within_one_slip
from schemas import FieldEvidence

# What the text of a registration authority ends with.
AUTHORITY_ENDINGS = ("市场监督管理局", "工商行政管理局", "行政审批局", "市场监管局")
_YEAR = re.compile(r"(?:19|20)\d{2}\D")
_DATE_ONLY = re.compile(r"[\d年月日.\-/至\s]*")  # a date (or a piece of one) and nothing else


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


def reads_like_authority(text: str) -> bool:
    """Whether text, a trailing date cut off, ends like a registration authority."""
    return authority_ending(_clean_authority(text)[0]) is not None


def read_authority(draft: Draft, page: Page, variants: tuple[str, ...]) -> None:
    """登记机关: next to its label when that reads like an authority, else the lowest row that
    does (the label lost in the seal, or a seal fragment nearer the label than the name),
    else whatever stands next to the label unless it is only a date."""
    found = page.value(variants)
    labelled = found if isinstance(found, ValueRead) else None
    if labelled is not None and reads_like_authority(labelled.text):
        _put_authority(draft, labelled.text, evidence(labelled.lines))
        return
    row = _authority_row(page)
    if row is not None and _put_authority(draft, join_texts(row), evidence(row, _row_note(found))):
        return
    if _put_as_labelled(draft, labelled):
        return
    reason = "未找到标签「登记机关」" if found is None else "登记机关仅在印章中或无法识别"
    draft.miss("issuing_authority", reason)


def _put_as_labelled(draft: Draft, labelled: ValueRead | None) -> bool:
    """Record the value next to the label as read, unless there is none or it is only a date."""
    if labelled is None or _DATE_ONLY.fullmatch(labelled.text):
        return False
    return _put_authority(draft, labelled.text, evidence(labelled.lines))


def _row_note(found: ValueRead | LabelHit | None) -> str:
    """Why the authority was taken from a row that reads like one instead of from its label."""
    if isinstance(found, ValueRead):
        return f"「登记机关」旁读到「{found.text}」，不像机关名称；按机关名称认出"
    return "未找到「登记机关」标签，按机关名称认出"
