"""Business license (营业执照, 2016+ format): name, USCC, type, dates, address, authority."""

import re

from pipeline.fields.authority import SealText, read_authority
from pipeline.fields.codes import (
    read_number,
    read_old_registration_number,
    read_registration_number,
)
from pipeline.fields.cuts import split_boxes
from pipeline.fields.dates import parse_date
from pipeline.fields.draft import Draft, Page, read_date_field, read_period, read_text_field
from pipeline.fields.entity_name import trim_name
from pipeline.fields.labels import is_watermark, merge_spaced_labels
from pipeline.fields.lines import Line
from pipeline.fields.numbers import repair_uscc
from pipeline.fields.province import repair_place, settle_province
from pipeline.fields.shift import realign_labels
from pipeline.standards.divisions import (
    places_in,
    province_of_code,
    province_of_name,
    province_of_text,
)
from pipeline.standards.entities import names_a_branch
from pipeline.standards.numbers import is_genuine_uscc, is_registration_number
from pipeline.standards.text import has_unclosed_bracket, within_one_slip
from schemas import FieldName, ProvinceSource

NAME = ("名称", "企业名称", "主体名称")  # the longer ones on electronic licenses and app screens
NUMBER = ("统一社会信用代码",)
REGISTRATION = ("注册号",)  # licenses from before the unified code (GB/T 17710 check digit)
ENTITY_TYPE = ("类型", "主体类型")  # 主体类型: the Shenzhen/Zhuhai 商事主体 licenses
REPRESENTATIVE = ("法定代表人", "执行事务合伙人", "负责人", "经营者", "投资人")
CAPITAL = ("注册资本", "出资额", "注册资金")
ESTABLISHED = ("成立日期", "注册日期")
TERM = ("营业期限", "经营期限", "合伙期限")
ADDRESS = ("住所", "主要经营场所", "经营场所", "营业场所")
AUTHORITY = ("登记机关",)
OTHER_LABELS = ("经营范围", "组成形式", "营业执照")
# How a 类型 value opens (SAMR's entity types); an entity name never does.
ENTITY_TYPE_OPENINGS = (
    "有限责任公司", "股份有限公司", "其他有限责任公司", "其他股份有限公司", "个人独资企业",
    "普通合伙企业", "有限合伙企业", "个体工商户", "农民专业合作社", "全民所有制", "集体所有制",
    "非公司企业法人", "外商投资企业", "内资企业法人",
)  # fmt: skip
# What a value's text holds when it belongs to a label: only to see which row a shifted print
# pairs with which label (pipeline/fields/shift.py), never to accept or reject a reading.
NAME_WORDS = ("公司", "企业", "合伙", "厂", "店", "部", "中心", "社", "工作室", "馆", "行")
ADDRESS_WORDS = ("号", "路", "街", "村", "镇", "巷", "弄", "室", "栋", "楼", "道")
PERSON_NAME = (2, 4)  # characters of a representative's name
# The text fields whose ends a watermark's letters can be read into.
WATERMARKED_FIELDS: tuple[FieldName, ...] = (
    "name", "entity_type", "legal_representative", "registered_capital", "address",
    "issuing_authority",
)  # fmt: skip
LABELS = (
    *NAME, *NUMBER, *REGISTRATION, *ENTITY_TYPE, *REPRESENTATIVE, *CAPITAL, *ESTABLISHED, *TERM,
    *ADDRESS, *AUTHORITY, *OTHER_LABELS,
)  # fmt: skip


# Where a license's province comes from, first found first (docs/RULES.md).
PROVINCE_ORDER = (
    ProvinceSource.AUTHORITY,
    ProvinceSource.ADDRESS,
    ProvinceSource.USCC,
    ProvinceSource.REGISTRATION,
    ProvinceSource.NAME,
)


def close_brackets(draft: Draft, name: FieldName) -> None:
    """Add the closing bracket OCR lost (it often wraps onto a line of its own)."""
    value = draft.values.get(name)
    if value is None or not has_unclosed_bracket(value):
        return
    proof = draft.evidence[name]
    note = "已补上未读出的右括号"
    draft.put(name, value + ")", proof.model_copy(update={"note": note}))


def _repair_place_in_name(draft: Draft) -> None:
    """A name opening with a misread district (勋阳区…) that the address or authority names."""
    name = draft.values.get("name")
    if name is None:
        return
    mentioned = set(
        places_in(draft.values.get("address", "") + draft.values.get("issuing_authority", ""))
    )
    if any(name.startswith(place) for place in mentioned):
        return
    fixes = {
        (name[: len(place)], place)
        for place in mentioned
        if len(place) <= len(name)
        and within_one_slip(name[: len(place)], place)
        and name[len(place) - 1] == place[-1]
    }
    if len(fixes) == 1:
        read, place = fixes.pop()
        note = f"{read}→{place}（依住所/登记机关）"
        proof = draft.evidence["name"].model_copy(update={"note": note})
        draft.put("name", place + name[len(read) :], proof)


def _uscc_province(draft: Draft) -> None:
    """The province of the USCC's division code (characters 3–8)."""
    number = draft.values.get("number")
    if number and is_genuine_uscc(number):
        province = province_of_code(number[2:8])
        if province is not None:
            draft.province_sources[ProvinceSource.USCC] = province


def _name_province(draft: Draft) -> None:
    """The province of the division the name opens with (not a branch's: it may carry its
    company's), recorded only as the last resort: when no other source shows one."""
    name = draft.values.get("name")
    if name and not draft.province_sources and not names_a_branch(name):
        province = province_of_name(name)
        if province is not None:
            draft.province_sources[ProvinceSource.NAME] = province


def _drop_entity_type_as_name(draft: Draft) -> None:
    """A 名称 reading that opens with a legal form (有限责任公司(自然人投资或控股)…) is the
    类型 row taken for the name — no entity's name starts so: the name stays unread."""
    name = draft.values.get("name")
    if name is None or not name.startswith(ENTITY_TYPE_OPENINGS):
        return
    proof = draft.evidence.pop("name")
    draft.values.pop("name")
    draft.miss("name", f"名称读作「{name}」，是企业类型而不是名称", proof)


def _drop_name_without_hanzi(draft: Draft) -> None:
    """A 名称 reading with no Chinese character is no entity's name (names are registered in
    Chinese characters): a watermark token (EJDG of SCJDGL) or a stray code — left unread."""
    name = draft.values.get("name")
    if name is None or any(is_hanzi(char) for char in name):
        return
    proof = draft.evidence.pop("name")
    draft.values.pop("name")
    draft.miss("name", f"名称读作「{name}」，其中没有汉字，不是名称", proof)


def is_hanzi(char: str) -> bool:
    """A CJK unified ideograph (the basic block and extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _trim_glued_text(draft: Draft) -> None:
    """The name without another field's label or value glued to its end (…有限公司体类型)."""
    name = draft.values.get("name")
    if name is None:
        return
    trimmed = trim_name(name, LABELS, ENTITY_TYPE_OPENINGS)
    if trimmed != name:
        note = f"已去掉名称后的「{name[len(trimmed) :]}」（其他栏目的文字）"
        draft.put("name", trimmed, draft.evidence["name"].model_copy(update={"note": note}))


def _strip_watermark_letters(draft: Draft, lines: list[Line]) -> None:
    """Letters of the page's own watermark (SCJDGL on an electronic license) read into the
    ends of a text value (G博远…, …1806室JDGL, S人民币…): on a page whose watermark was read
    as tokens of Latin letters, a run of those letters opening a value that holds Chinese
    characters, or a run of two or more ending it, is dropped."""
    letters = {char for line in lines if is_watermark(line.text) for char in line.text}
    if not letters:
        return
    watermark = f"[{re.escape(''.join(sorted(letters)))}]"
    # one letter may open a value (no name or address starts with a lone capital), but
    # an address may end in one (…3栋C): at the end, two or more
    edges = re.compile(f"^{watermark}+(?=[^A-Za-z])|(?<=[^A-Za-z]){watermark}{{2,}}$")
    for name in WATERMARKED_FIELDS:
        value = draft.values.get(name)
        if value is None or not any(is_hanzi(char) for char in value):
            continue
        stripped = edges.sub("", value)
        if stripped != value:
            note = f"已去掉水印字母（读作「{value}」）"
            draft.put(name, stripped, draft.evidence[name].model_copy(update={"note": note}))


def _read_license_number(draft: Draft, page: Page) -> None:
    """The USCC; on a license without a valid one, its legacy 注册号 instead (15 digits, or
    13 right after its label)."""
    read_number(draft, page, NUMBER, repair_uscc)
    number = draft.values.get("number")
    if number is not None and is_genuine_uscc(number):
        return
    if not read_registration_number(draft, page, REGISTRATION):
        read_old_registration_number(draft, page, REGISTRATION)


def _registration_province(draft: Draft) -> None:
    """The province of a legacy 注册号's first six digits (its authority's division)."""
    number = draft.values.get("number")
    if number is not None and is_registration_number(number):
        province = province_of_code(number[:6])
        if province is not None:
            draft.province_sources[ProvinceSource.REGISTRATION] = province


def value_fits(label: str, text: str) -> bool:
    """Whether `text` looks like the value of `label` (a date after 成立日期, a legal form
    after 类型): the vote of one label for the row its value is printed on."""
    checks: tuple[tuple[tuple[str, ...], bool], ...] = (
        (NAME, _looks_like_name(text)),
        (ENTITY_TYPE, text.startswith(ENTITY_TYPE_OPENINGS)),
        (REPRESENTATIVE, _looks_like_person(text) or text.endswith("公司")),
        (CAPITAL, "元" in text),
        (ESTABLISHED, parse_date(text) is not None),
        (TERM, "至" in text or "长期" in text),
        (ADDRESS, any(word in text for word in ADDRESS_WORDS) and not _looks_like_name(text)),
    )
    return any(label in variants and fit for variants, fit in checks)


def _looks_like_name(text: str) -> bool:
    """An entity's name (or its first wrapped line): a name word, no legal form first."""
    return not text.startswith(ENTITY_TYPE_OPENINGS) and any(word in text for word in NAME_WORDS)


def _looks_like_person(text: str) -> bool:
    """A person's name: two to four Chinese characters."""
    low, high = PERSON_NAME
    return low <= len(text) <= high and all(is_hanzi(char) for char in text)


def extract_license(lines: list[Line], seal: SealText | None = None) -> Draft:
    """Every business-license field the lines hold (the authority from the seal's arc text
    when the print shows none)."""
    lines = split_boxes(lines, LABELS)
    lines = realign_labels(merge_spaced_labels(lines, LABELS), LABELS, value_fits)
    page = Page(lines, LABELS)
    draft = Draft()
    read_text_field(draft, page, "name", NAME, max_lines=2)
    _drop_entity_type_as_name(draft)
    _drop_name_without_hanzi(draft)
    _trim_glued_text(draft)
    close_brackets(draft, "name")
    _read_license_number(draft, page)
    read_text_field(draft, page, "entity_type", ENTITY_TYPE, max_lines=2)
    close_brackets(draft, "entity_type")
    read_text_field(draft, page, "legal_representative", REPRESENTATIVE)
    read_text_field(draft, page, "registered_capital", CAPITAL)
    read_date_field(draft, page, "established", ESTABLISHED)
    read_period(draft, page, TERM)
    read_text_field(draft, page, "address", ADDRESS, max_lines=3)
    read_authority(draft, page, AUTHORITY, seal)
    _strip_watermark_letters(draft, lines)
    texts: tuple[tuple[ProvinceSource, FieldName], ...] = (
        (ProvinceSource.AUTHORITY, "issuing_authority"),
        (ProvinceSource.ADDRESS, "address"),
    )
    for _source, name in texts:
        repair_place(draft, name)
    for source, name in texts:
        province = province_of_text(draft.values.get(name, ""))
        if province is not None:
            draft.province_sources[source] = province
    _repair_place_in_name(draft)
    _uscc_province(draft)
    _registration_province(draft)
    _name_province(draft)
    settle_province(draft, PROVINCE_ORDER)
    return draft
