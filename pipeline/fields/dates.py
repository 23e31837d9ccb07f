"""Dates and validity periods as printed on licenses and ID cards, read into ISO form."""

import datetime
import re
from dataclasses import dataclass

from pipeline.standards.text import normalize_text

LONG_TERM = "长期"
_LONG_TERM_WORDS = ("长期", "永久", "不约定期限", "无固定期限")
# Letters OCR returns for digits inside a date.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1",
                                   "Z": "2", "S": "5", "B": "8", "b": "6", "g": "9"})  # fmt: skip
# 2016年03月01日, 2016年3月1日, 2015.03.01, 2015-3-1 (one or two separator characters,
# so that 年/月 misread as 车/目 still parse), or 20150301 without separators.
_SEPARATED = r"(?<!\d)(?P<y>(?:19|20)\d{2})\D{1,2}?(?P<m>\d{1,2})\D{1,2}?(?P<d>\d{1,2})(?!\d)"
_COMPACT = r"(?<!\d)(?P<cy>(?:19|20)\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?!\d)"
_DATE = re.compile(rf"{_COMPACT}|{_SEPARATED}")


@dataclass(frozen=True)
class Period:
    """A validity period: ISO start, and ISO end or 长期 (None when not read)."""

    start: str | None
    end: str | None


def _digits(text: str) -> str:
    """Normalized text with letters that stand for digits mapped to digits."""
    return normalize_text(text).translate(_DIGIT_LOOKALIKES)


def _to_iso(year: str, month: str, day: str) -> str | None:
    """ISO date if the parts make a real date between 1900 and 2199."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[str, int]]:
    """Every date in the text as (ISO date, end offset), in order."""
    found = []
    for match in _DATE.finditer(_digits(text)):
        if match.group("cy"):
            iso = _to_iso(match.group("cy"), match.group("cm"), match.group("cd"))
        else:
            iso = _to_iso(match.group("y"), match.group("m"), match.group("d"))
        if iso is not None:
            found.append((iso, match.end()))
    return found


def parse_date(text: str) -> str | None:
    """The first date in the text as YYYY-MM-DD, or None."""
    found = find_dates(text)
    return found[0][0] if found else None


def is_long_term(text: str) -> bool:
    """Whether the text says the period has no end (长期, 永久, 不约定期限)."""
    normalized = normalize_text(text)
    return any(word in normalized for word in _LONG_TERM_WORDS)


def parse_period(text: str) -> Period:
    """A period such as 2016年03月01日至长期 or 2015.03.01-2035.03.01."""
    found = find_dates(text)
    start = found[0][0] if found else None
    if len(found) >= 2:
        return Period(start, found[1][0])
    after_start = _digits(text)[found[0][1] :] if found else _digits(text)
    return Period(start, LONG_TERM if is_long_term(after_start) else None)
