"""Business license (营业执照, 2016+ format): name, USCC, type, dates, address, authority."""

import re

from stdnum.cn import uscc

from pipeline.fields.codes import read_number
from pipeline.fields.draft import Draft, Page, read_date_field, read_period, read_text_field
from pipeline.fields.labels import ValueRead, merge_spaced_labels, row_chain
from pipeline.fields.lines import Line, evidence, join_texts
from pipeline.fields.province import repair_place, settle_province
from pipeline.names import strip_edge_noise
from pipeline.numbers import repair_uscc
from pipeline.regions import province_of_code, province_of_text
from schemas import FieldEvidence, FieldName

NAME = ("名称",)
NUMBER = ("统一社会信用代码",)
ENTITY_TYPE = ("类型",)
REPRESENTATIVE = ("法定代表人", "执行事务合伙人", "负责人", "经营者", "投资人")
CAPITAL = ("注册资本", "出资额", "注册资金")
ESTABLISHED = ("成立日期", "注册日期")
TERM = ("营业期限", "经营期限", "合伙期限")
ADDRESS = ("住所", "主要经营场所", "经营场所", "营业场所")
AUTHORITY = ("登记机关",)
OTHER_LABELS = ("经营范围", "组成形式", "营业执照")
LABELS = (
    *NAME, *NUMBER, *ENTITY_TYPE, *REPRESENTATIVE, *CAPITAL, *ESTABLISHED, *TERM, *ADDRESS,
    *AUTHORITY, *OTHER_LABELS,
)  # fmt: skip
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
            if len(text) > len(tail) and _one_slip_or_same(tail, ending):
                return tail, ending
    return None


def _one_slip_or_same(read: str, printed: str) -> bool:
    """Whether `read` is `printed`, or it with one character replaced or dropped."""
    if len(read) == len(printed):
        return sum(a != b for a, b in zip(read, printed, strict=True)) <= 1
    return len(read) == len(printed) - 1 and any(
        printed[:index] + printed[index + 1 :] == read for index in range(len(printed))
    )


def _put_authority(draft: Draft, text: str, proof: FieldEvidence) -> bool:
    """Record a cleaned authority text; False when nothing is left of it."""
    cleaned, repair = _clean_authority(text)
    if not cleaned:
        return False
    notes = "; ".join(part for part in (proof.note, repair) if part) or None
    draft.put("issuing_authority", cleaned, proof.model_copy(update={"note": notes}))
    return True


def _read_authority(draft: Draft, page: Page) -> None:
    """登记机关: next to its label, else the lowest row that reads like an authority."""
    found = page.value(AUTHORITY)
    if isinstance(found, ValueRead) and _put_authority(draft, found.text, evidence(found.lines)):
        return
    row = _authority_row(page)
    note = "found without its 登记机关 label"
    if row is not None and _put_authority(draft, join_texts(row), evidence(row, note)):
        return
    reason = (
        "label 登记机关 not found" if found is None else "登记机关 only in the seal or unreadable"
    )
    draft.miss("issuing_authority", reason)


def close_brackets(draft: Draft, name: FieldName) -> None:
    """Add the closing bracket OCR lost (it often wraps onto a line of its own)."""
    value = draft.values.get(name)
    if value is None or value.count("(") <= value.count(")"):
        return
    proof = draft.evidence[name]
    note = "closing bracket added (not read)"
    draft.put(name, value + ")", proof.model_copy(update={"note": note}))


def _uscc_province(draft: Draft) -> None:
    """The province of the USCC's division code (characters 3–8)."""
    number = draft.values.get("number")
    if number and uscc.is_valid(number):
        province = province_of_code(number[2:8])
        if province is not None:
            draft.province_sources["uscc"] = province


def extract_license(lines: list[Line]) -> Draft:
    """Every business-license field the lines hold."""
    page = Page(merge_spaced_labels(lines, LABELS), LABELS)
    draft = Draft()
    read_text_field(draft, page, "name", NAME, max_lines=2)
    read_number(draft, page, NUMBER, repair_uscc)
    read_text_field(draft, page, "entity_type", ENTITY_TYPE, max_lines=2)
    close_brackets(draft, "entity_type")
    read_text_field(draft, page, "legal_representative", REPRESENTATIVE)
    read_text_field(draft, page, "registered_capital", CAPITAL)
    read_date_field(draft, page, "established", ESTABLISHED)
    read_period(draft, page, TERM)
    read_text_field(draft, page, "address", ADDRESS, max_lines=3)
    _read_authority(draft, page)
    texts: tuple[tuple[str, FieldName], ...] = (
        ("authority", "issuing_authority"),
        ("address", "address"),
    )
    for _source, name in texts:
        repair_place(draft, name)
    for source, name in texts:
        province = province_of_text(draft.values.get(name, ""))
        if province is not None:
            draft.province_sources[source] = province
    _uscc_province(draft)
    settle_province(draft, ("authority", "address", "uscc"))
    return draft
