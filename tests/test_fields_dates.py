"""Dates and validity periods as printed on licenses and ID cards."""

import pytest

from pipeline.fields.dates import LONG_TERM, Period, is_long_term, parse_date, parse_period


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2016年03月01日", "2016-03-01"),
        ("2016年3月1日", "2016-03-01"),
        ("1990 年 5 月 17 日", "1990-05-17"),
        ("2015.03.01", "2015-03-01"),
        ("2015-3-1", "2015-03-01"),
        ("20150301", "2015-03-01"),
        ("2O16年O3月O1日", "2016-03-01"),  # O read for 0
        ("2016年03目01日", "2016-03-01"),  # 月 misread
        ("成立日期：2016年03月01日", "2016-03-01"),
        ("2016年02月30日", None),  # no such day
        ("330106199005170027", None),  # a date inside an ID number is not a date
        ("长期", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2016年03月01日至长期", Period("2016-03-01", LONG_TERM)),
        ("2016年03月01日至2036年02月29日", Period("2016-03-01", "2036-02-29")),
        ("2015.03.01-2035.03.01", Period("2015-03-01", "2035-03-01")),
        ("2015.03.01-长期", Period("2015-03-01", LONG_TERM)),
        ("2015.03.01—长期", Period("2015-03-01", LONG_TERM)),
        ("20150301-20350301", Period("2015-03-01", "2035-03-01")),
        ("2016年03月01日至永久", Period("2016-03-01", LONG_TERM)),
        ("2016年03月01日至不约定期限", Period("2016-03-01", LONG_TERM)),
        ("2016年03月01日至", Period("2016-03-01", None)),
        ("长期", Period(None, LONG_TERM)),
        ("营业期限", Period(None, None)),
    ],
)
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(("text", "expected"), [("长期", True), ("永久", True), ("2035", False)])
def test_is_long_term(text: str, expected: bool) -> None:
    assert is_long_term(text) is expected
