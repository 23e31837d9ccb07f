"""Hypothesis fuzzing of the form parser and the field parsers: no crash, only contract values.

Briefly in the suite (200 examples a test); longer on demand:
`FILINGCHECK_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py` (see docs/LIMITS.md).
"""

import json
import os
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import FormError
from pipeline.fields import Extraction, extract
from pipeline.fields.dates import parse_date, parse_period
from pipeline.fields.numbers import check_ric, check_uscc, repair_ric, repair_uscc
from pipeline.form import parse_form
from pipeline.ocr.base import OcrLine
from pipeline.standards.divisions import PROVINCES, province_of_code, province_of_text
from pipeline.standards.text import normalize_text, same_name
from samples.generator.numbers import ric_check_char, uscc_check_char
from schemas import DocumentFields, DocumentKind, FilingForm, TextSource
from tests.hostile import corpus

EXAMPLES = int(os.environ.get("FILINGCHECK_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHITE_SPACE = re.compile(r"\s")
DATE_FIELDS = ("valid_from", "established", "birth_date")
TEXT_FIELDS = (
    "name",
    "issuing_authority",
    "address",
    "legal_representative",
    "entity_type",
    "registered_capital",
    "ethnicity",
)

# What real documents are made of: labels, anchors, place names, dates, number pieces.
FRAGMENTS = [
    "营业执照",
    "统一社会信用代码",
    "名称",
    "名　　称",
    "类型",
    "住所",
    "经营场所",
    "法定代表人",
    "负责人",
    "注册资本",
    "成立日期",
    "营业期限",
    "登记机关",
    "市场监督管理局",
    "中华人民共和国",
    "居民身份证",
    "姓名",
    "性别",
    "男",
    "女",
    "民族",
    "汉",
    "出生",
    "住址",
    "公民身份号码",
    "签发机关",
    "公安局",
    "分局",
    "有效期限",
    "长期",
    "永久",
    "至",
    "-",
    ".",
    "年",
    "月",
    "日",
    "北京市",
    "海淀区",
    "杭州市",
    "西湖",
    "广西壮族自治区",
    "内蒙古",
    "深圳市",
    "有限公司",
    "（",
    "）",
    "(",
    ")",
    ":",
    "：",
    " ",
    "\u3000",
    "91110108MA01R2KX7C",
    "110108199001011231",
    "2016年03月01日",
    "2015.03.01-2035.03.01",
    "O",
    "I",
    "Z",
    "S",
    "B",
    "0",
    "1",
    "2",
    "5",
    "8",
    "X",
    "x",
    "|",
    "!",
    "壹佰万元整",
    "100万元",
]

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=8).map(
    "".join
)
coordinates = st.floats(min_value=-50, max_value=4000, allow_nan=False)


@st.composite
def ocr_lines(draw: st.DrawFn) -> OcrLine:
    """A line with fragment text, any confidence, and an upright, degenerate or skewed quad."""
    shape = draw(st.sampled_from(["upright", "any"]))
    if shape == "upright":
        left, top = draw(coordinates), draw(coordinates)
        width = draw(st.floats(min_value=0, max_value=1500))
        height = draw(st.floats(min_value=0, max_value=120))
        box = [(left, top), (left + width, top), (left + width, top + height), (left, top + height)]
    else:
        box = draw(st.lists(st.tuples(coordinates, coordinates), min_size=4, max_size=4))
    confidence = draw(st.floats(min_value=0, max_value=1))
    source = draw(st.sampled_from(list(TextSource)))
    return OcrLine(draw(texts), confidence, box, source)


pages = st.lists(st.lists(ocr_lines(), max_size=25), min_size=1, max_size=3)
declared_kinds = st.one_of(st.none(), st.sampled_from(list(DocumentKind)))


def assert_contract_values(fields: DocumentFields) -> None:
    """Every value is None or in the format docs/RULES.md gives for it; never ""."""
    values = fields.model_dump()
    for name, value in values.items():
        assert value != "", f"{name} is an empty string"
        if value is not None:
            assert not WHITE_SPACE.search(value), f"{name} keeps white space: {value!r}"
    for name in DATE_FIELDS:
        if values[name] is not None:
            assert ISO_DATE.match(values[name]), f"{name}={values[name]!r}"
            date.fromisoformat(values[name])
    if fields.valid_to is not None and fields.valid_to != "长期":
        date.fromisoformat(fields.valid_to)
    if fields.number is not None:
        assert len(fields.number) == 18 and fields.number == fields.number.upper(), fields.number
    if fields.province is not None:
        assert fields.province in PROVINCES
    if fields.gender is not None:
        assert fields.gender in ("男", "女")
    for name in TEXT_FIELDS:
        if values[name] is not None:
            assert "（" not in values[name] and "）" not in values[name], f"{name} not NFKC"


def assert_extraction(extraction: Extraction) -> None:
    """Kinds are distinct document kinds; values, evidence and province sources in contract."""
    assert len(set(extraction.kinds)) == len(extraction.kinds)
    assert all(isinstance(kind, DocumentKind) for kind in extraction.kinds)
    assert_contract_values(extraction.fields)
    for name, reason in extraction.unread.items():
        assert reason, f"{name} unread without a reason"
    for source, province in extraction.province_sources.items():
        assert province in PROVINCES, f"{source}: {province!r}"
    if not extraction.kinds:
        assert extraction.fields == DocumentFields()


@FUZZ
@given(pages=pages, declared=declared_kinds)
def test_extract_never_raises_and_keeps_to_the_contract(
    pages: list[list[OcrLine]], declared: DocumentKind | None
) -> None:
    assert_extraction(extract(pages, declared))


@FUZZ
@given(text=texts | st.text(max_size=40))
def test_number_repair_never_raises(text: str) -> None:
    for reading, is_valid in ((repair_uscc(text), _uscc_checks), (repair_ric(text), _ric_checks)):
        if reading.valid:
            assert reading.value is not None and len(reading.value) == 18
            assert reading.value == reading.value.upper()
            assert is_valid(reading.value)
        else:
            assert reading.value is None
            assert reading.note, "an invalid reading without a reason"


def _ric_checks(number: str) -> bool:
    """18 characters whose check character is right (the generator's own GB 11643 code)."""
    return len(number) == 18 and number[:17].isdigit() and ric_check_char(number[:17]) == number[-1]


def _uscc_checks(number: str) -> bool:
    """18 characters whose check character is right (the generator's own GB 32100 code)."""
    return len(number) == 18 and uscc_check_char(number[:17]) == number[-1]


@FUZZ
@given(text=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYxIOSVZ -", max_size=22))
def test_form_number_checks_never_raise(text: str) -> None:
    for problem, is_valid in ((check_uscc(text), _uscc_checks), (check_ric(text), _ric_checks)):
        assert problem is None or problem.reason
        if problem is None:
            assert is_valid(text.strip())


@FUZZ
@given(text=texts | st.text(max_size=40))
def test_dates_regions_and_names_never_raise(text: str) -> None:
    iso = parse_date(text)
    assert iso is None or (ISO_DATE.match(iso) and date.fromisoformat(iso))
    period = parse_period(text)
    for value in (period.start, period.end):
        assert value is None or value == "长期" or date.fromisoformat(value)
    assert province_of_text(text) in (None, *PROVINCES)
    assert province_of_code(text[:6]) in (None, *PROVINCES)
    assert not WHITE_SPACE.search(normalize_text(text))


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("O´", "Ó"), ("S¸", "Ş"), ("名称S¸", "名称Ş"), ("O ´", "Ó"), ("a\u3000\u0301", "á")],
)
def test_normalize_text_is_idempotent(text: str, normalized: str) -> None:
    once = normalize_text(text)
    assert once == normalized
    assert normalize_text(once) == once
    assert same_name(text, once)


@FUZZ
@given(text=texts | st.text(max_size=40))
def test_normalize_text_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


# ---- the form parser ------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


def assert_form_or_form_error(raw: bytes) -> None:
    """parse_form gives a FilingForm or a FormError naming fields; nothing else."""
    try:
        form = parse_form(raw)
    except FormError as error:
        assert error.message
        assert error.fields and all(isinstance(name, str) and name for name in error.fields)
        assert error.exit_code == 2
        return
    assert isinstance(form, FilingForm)


@st.composite
def mutated_forms(draw: st.DrawFn) -> bytes:
    """The good form with one value somewhere replaced by arbitrary JSON (or removed)."""
    form = corpus.good_form(files=("a.jpg", "b.jpg"))
    section = draw(st.sampled_from([None, "subject", "principal", "documents"]))
    target: dict = form if section is None else form[section]
    if isinstance(target, list):
        target = target[draw(st.integers(0, len(target) - 1))]
    key = draw(st.sampled_from(sorted(target)))
    if draw(st.booleans()):
        target[key] = draw(json_values)
    else:
        del target[key]
    return json.dumps(form, allow_nan=True).encode()


@FUZZ
@given(raw=st.binary(max_size=300))
def test_parse_form_on_any_bytes(raw: bytes) -> None:
    assert_form_or_form_error(raw)


@FUZZ
@given(value=json_values)
def test_parse_form_on_any_json(value: object) -> None:
    assert_form_or_form_error(json.dumps(value, allow_nan=True).encode())


@FUZZ
@given(raw=mutated_forms())
def test_parse_form_on_mutated_forms(raw: bytes) -> None:
    assert_form_or_form_error(raw)
