"""ID, credit-code and phone numbers are masked in logs and progress output."""

import io
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.cn import ric

from pipeline.privacy import MaskingFilter, mask_id, mask_log_handlers, mask_phone, mask_sensitive

ID_NUMBER = "110108199001011231"
USCC = "91110108MA01R2KX7C"


def test_mask_id_keeps_four_characters_at_each_end() -> None:
    assert mask_id(ID_NUMBER) == "1101**********1231"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800000000", "138****0000"),
        ("+8613800000000", "+86138****0000"),
        ("086-010-12345678", "086-010-****5678"),
        ("0755-1234567", "0755-***4567"),
        ("12345678901234", "**********1234"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"公民身份号码{ID_NUMBER}，手机13800000000",
         "公民身份号码1101**********1231，手机138****0000"),
        (f"统一社会信用代码：{USCC}", "统一社会信用代码：9111**********KX7C"),
        ('{"id_number": "11010819900101124x"}', '{"id_number": "1101**********124x"}'),
        (f"reading {ID_NUMBER}_front.jpg failed", "reading 1101**********1231_front.jpg failed"),
        ("办公电话 086-010-12345678", "办公电话 086-010-****5678"),
        ("旧身份证 110108900101123", "旧身份证 1101*******1123"),
    ],
)
def test_numbers_inside_free_text_are_masked(text: str, masked: str) -> None:
    assert mask_sensitive(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "packet P2026-000123 checked on 2026-06-01 in 1.25 s",
        "注册资本 100万元，成立日期 2016年03月01日",
        "LICENSEABCDEFGHIJK is not a number",
        "page 12345 of 67890",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_sensitive(text) == text


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """Valid GB 11643 numbers for people born 1930–2009 in Beijing's Haidian district."""
    year = draw(st.integers(1930, 2009))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    sequence = draw(st.integers(0, 999))
    body = f"110108{year:04d}{month:02d}{day:02d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    number=id_numbers(),
    before=st.text(alphabet="姓名号码：, \n-_/()", max_size=12),
    after=st.text(alphabet="姓名号码：, \n-_/().jpgfrontX", max_size=12),
)
def test_no_id_number_survives_masking(number: str, before: str, after: str) -> None:
    masked = mask_sensitive(before + number + after)
    assert number not in masked
    assert mask_id(number) in masked
    assert mask_sensitive(masked) == masked


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing into a buffer through a masking handler."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("filingcheck.tests.privacy")
    logger.addHandler(handler)
    logger.propagate = False
    mask_log_handlers(logger)
    yield logger, buffer
    logger.removeHandler(handler)


def test_log_messages_and_arguments_are_masked(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, buffer = captured
    logger.warning("ID %s, mobile %s, code %s", ID_NUMBER, "13800000000", USCC)
    expected = "ID 1101**********1231, mobile 138****0000, code 9111**********KX7C\n"
    assert buffer.getvalue() == expected


def test_tracebacks_are_masked(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = captured
    try:
        raise ValueError(f"bad number {ID_NUMBER}")
    except ValueError:
        logger.exception("reading failed")
    assert ID_NUMBER not in buffer.getvalue()
    assert "ValueError: bad number 1101**********1231" in buffer.getvalue()


def test_the_filter_is_added_once(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, _ = captured
    mask_log_handlers(logger)
    filters = [f for f in logger.handlers[0].filters if isinstance(f, MaskingFilter)]
    assert len(filters) == 1
