"""USCC (GB 32100) and resident ID (GB 11643) numbers: form checks and OCR repair."""

import datetime
import itertools
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stdnum.cn import ric, uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from pipeline.regions import is_division_code

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIGITS = "0123456789"
NUMBER_LENGTH = 18
USCC_NAME = "统一社会信用代码"  # how reasons and notes name each number
RIC_NAME = "身份证号码"
MAX_SUBSTITUTIONS = 2
MAX_CANDIDATES = 20_000

# Characters OCR returns for a digit, in positions that must hold digits.
_TO_DIGIT = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "i": "1", "l": "1", "L": "1",
    "|": "1", "!": "1", "J": "1", "T": "7", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8",
    "G": "6", "b": "6", "g": "9", "q": "9", "A": "4",
}  # fmt: skip
# Letters outside the GB 32100 alphabet and what they most likely are.
_TO_USCC_LETTER = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "U"}
# Pairs of valid characters that OCR confuses; tried when the check character fails.
_USCC_PAIRS = ["0D", "0Q", "DQ", "0U", "17", "1T", "1L", "1J", "38", "56", "68", "6G", "8B",
               "BR", "CG", "EF", "KX", "MN", "MW", "PR", "UY", "4A"]  # fmt: skip
_RIC_PAIRS = ["17", "38", "56", "68", "08", "06", "09", "89", "14", "27", "1X", "4X"]
# GB 32100-2015: registration authority (character 1) → its entity types (character 2).
# 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商 (市场监管),
# A 中央军委改革和编制办公室, N 农业, Y 其他 (OCR repair reads character 1 as a digit).
USCC_ENTITY_TYPES = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129",
    "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}  # fmt: skip


@dataclass(frozen=True)
class NumberReading:
    """A number as read by OCR and the valid value it was repaired to, if any."""

    reading: str
    value: str | None
    valid: bool
    repaired: bool
    note: str | None = None
    guessed: bool = False  # chosen by the check character among confusable alternatives


UsccReading = NumberReading
RicReading = NumberReading


@dataclass(frozen=True)
class _Scheme:
    """What one kind of number allows at each position and how OCR confuses it."""

    label: str
    allowed: Callable[[int], str]
    forced: Callable[[int, str], str | None]
    pairs: list[str]
    is_valid: Callable[[str], bool]
    implausible: Callable[[str], str | None]  # why a valid number cannot be real, or None


def _alternatives(pairs: list[str]) -> dict[str, str]:
    """Each character mapped to the characters it is confused with."""
    table: dict[str, str] = {}
    for pair in pairs:
        first, second = pair[0], pair[1]
        table[first] = table.get(first, "") + second
        table[second] = table.get(second, "") + first
    return table


def clean_reading(reading: str) -> str:
    """NFKC, keep letters, digits and `|`/`!` (read for 1); drop spaces and punctuation."""
    text = unicodedata.normalize("NFKC", reading).replace("×", "X")
    return "".join(char for char in text if (char.isascii() and char.isalnum()) or char in "|!")


def _uscc_allowed(position: int) -> str:
    """Digits for the authority, type and division code (1–8); the alphabet elsewhere."""
    return DIGITS if position < 8 else USCC_ALPHABET


def _uscc_forced(position: int, char: str) -> str | None:
    """The valid character an out-of-alphabet reading stands for, if any."""
    if position < 8:
        return _TO_DIGIT.get(char)
    upper = char.upper()
    return _TO_USCC_LETTER.get(upper, upper if upper in USCC_ALPHABET else None)


def _uscc_implausible(candidate: str) -> str | None:
    """Why a checksum-valid USCC cannot be real: its GB 32100 registration authority and
    entity type (character 1 and 2), or its GB/T 2260 division code (3–8; 100000 national)."""
    types = USCC_ENTITY_TYPES.get(candidate[0])
    if types is None:
        return f"「{candidate[0]}」不是 GB 32100 登记管理部门代码"
    if candidate[1] not in types:
        return f"「{candidate[:2]}」不是 GB 32100 中登记管理部门「{candidate[0]}」的机构类别"
    division = candidate[2:8]
    if division != "100000" and not is_division_code(division):
        return f"{division} 不是 GB/T 2260 行政区划代码"
    return None


def _ric_valid(candidate: str) -> bool:
    """stdnum's check (digits, check digit, date, division at birth year), never raising."""
    try:
        return ric.is_valid(candidate)
    except (KeyError, ValueError):  # stdnum fails on a division with no county entry
        return False


def _ric_allowed(position: int) -> str:
    """Digits, and X as the check character."""
    return DIGITS + "X" if position == NUMBER_LENGTH - 1 else DIGITS


def _ric_forced(position: int, char: str) -> str | None:
    """The digit (or check X) a non-digit reading stands for, if any."""
    if position == NUMBER_LENGTH - 1 and char in "xXKk":
        return "X"
    return _TO_DIGIT.get(char)


def _ric_implausible(candidate: str) -> str | None:
    """Why a checksum-valid ID number cannot be real: not born between 1900 and today."""
    birth = ric.get_birth_date(candidate)
    if datetime.date(1900, 1, 1) <= birth <= datetime.date.today():
        return None
    return f"出生日期 {birth.isoformat()} 不在 1900 年至今之间"


USCC_SCHEME = _Scheme(
    USCC_NAME, _uscc_allowed, _uscc_forced, _USCC_PAIRS, uscc.is_valid, _uscc_implausible
)
RIC_SCHEME = _Scheme(
    RIC_NAME, _ric_allowed, _ric_forced, _RIC_PAIRS, _ric_valid, _ric_implausible
)


def _force(text: str, scheme: _Scheme) -> tuple[str, list[str]] | str:
    """Map characters invalid at their position; return (text, notes) or a failure reason."""
    chars, notes = [], []
    for position, char in enumerate(text):
        if char in scheme.allowed(position):
            chars.append(char)
            continue
        forced = scheme.forced(position, char)
        if forced is None or forced not in scheme.allowed(position):
            return f"第 {position + 1} 位的「{char}」无法修正"
        chars.append(forced)
        if forced != char.upper():
            notes.append(f"{char}→{forced}（第 {position + 1} 位）")
    return "".join(chars), notes


def _substitutions(text: str, scheme: _Scheme, count: int) -> Iterator[tuple[str, list[str]]]:
    """Every text with `count` characters replaced by one they are commonly confused with."""
    table = _alternatives(scheme.pairs)
    options = [
        [alt for alt in table.get(char, "") if alt in scheme.allowed(position)]
        for position, char in enumerate(text)
    ]
    for positions in itertools.combinations(range(len(text)), count):
        choices = [options[position] for position in positions]
        for replacement in itertools.product(*choices):
            chars = list(text)
            notes = []
            for position, new in zip(positions, replacement, strict=True):
                notes.append(f"{chars[position]}→{new}（第 {position + 1} 位）")
                chars[position] = new
            yield "".join(chars), notes


def _deletions(text: str) -> Iterator[tuple[str, list[str]]]:
    """Every text with one character removed (OCR read one character too many)."""
    for position, char in enumerate(text):
        note = f"删去多读的「{char}」（第 {position + 1} 位）"
        yield text[:position] + text[position + 1 :], [note]


def _forced_deletions(text: str, scheme: _Scheme) -> Iterator[tuple[str, list[str]]]:
    """Every one-character deletion whose remaining characters can all be forced valid."""
    for candidate, notes in _deletions(text):
        forced = _force(candidate, scheme)
        if not isinstance(forced, str):
            yield forced[0], [*notes, *forced[1]]


def _unique(
    candidates: Iterator[tuple[str, list[str]]], scheme: _Scheme
) -> list[tuple[str, list[str]]]:
    """The distinct valid candidates (at most MAX_CANDIDATES tried)."""
    found: dict[str, list[str]] = {}
    for candidate, notes in itertools.islice(candidates, MAX_CANDIDATES):
        if candidate in found or not scheme.is_valid(candidate):
            continue
        if scheme.implausible(candidate) is None:
            found[candidate] = notes
    return list(found.items())


def _changes(text: str, value: str, notes: list[str]) -> list[str]:
    """What was changed, one note per position (recomputed when the length is unchanged)."""
    if len(text) != len(value):
        return notes
    return [
        f"{read}→{final}（第 {position} 位）"
        for position, (read, final) in enumerate(zip(text, value, strict=True), start=1)
        if read.upper() != final
    ]


def _decide(
    reading: str, text: str, found: list[tuple[str, list[str]]], scheme: _Scheme
) -> NumberReading:
    """One valid candidate is a repair; several are ambiguous."""
    if len(found) == 1:
        value, notes = found[0]
        note = "按校验位修正 " + "、".join(_changes(text, value, notes))
        return NumberReading(reading, value, True, True, note, guessed=True)
    shown = "、".join(value for value, _ in found[:3])
    reason = f"{scheme.label}无法确定：{len(found)} 种修正都能通过校验（{shown}）"
    return NumberReading(reading, None, False, False, reason)


def _repair(reading: str, scheme: _Scheme) -> NumberReading:
    """Force invalid characters, then try 1..MAX_SUBSTITUTIONS confusable substitutions."""
    text = clean_reading(reading)
    if len(text) == NUMBER_LENGTH + 1:
        found = _unique(_forced_deletions(text, scheme), scheme)
        if found:
            return _decide(reading, text, found, scheme)
    if len(text) != NUMBER_LENGTH:
        reason = f"{scheme.label}读出 {len(text)} 位，应为 {NUMBER_LENGTH} 位"
        return NumberReading(reading, None, False, False, reason)
    forced = _force(text, scheme)
    if isinstance(forced, str):
        return NumberReading(reading, None, False, False, f"{scheme.label}：{forced}")
    forced_text, forced_notes = forced
    implausible = scheme.implausible(forced_text) if scheme.is_valid(forced_text) else None
    if scheme.is_valid(forced_text) and implausible is None:
        note = "已修正 " + "、".join(forced_notes) if forced_notes else None
        return NumberReading(reading, forced_text, True, bool(forced_notes), note)
    for count in range(1, MAX_SUBSTITUTIONS + 1):
        found = _unique(_substitutions(forced_text, scheme, count), scheme)
        if found:
            return _decide(reading, text, found, scheme)
    if implausible is not None:
        reason = f"{scheme.label}校验位相符，但{implausible}"
    else:
        reason = f"{scheme.label}校验位不符，且无法修正"
    return NumberReading(reading, None, False, False, reason)


def repair_uscc(reading: str) -> NumberReading:
    """Read a USCC from OCR text, repairing confusable characters until it validates."""
    return _repair(reading, USCC_SCHEME)


def repair_ric(reading: str) -> NumberReading:
    """Read a resident ID number from OCR text, repairing confusable characters."""
    return _repair(reading, RIC_SCHEME)


def _reason(error: ValidationError, label: str, value: str, expected: str) -> str:
    """A reviewer-readable reason for a stdnum validation error."""
    if isinstance(error, InvalidLength):
        return f"{label}应为 {NUMBER_LENGTH} 位，实为 {len(value)} 位"
    if isinstance(error, InvalidFormat):
        return f"{label}含有{expected}以外的字符"
    if isinstance(error, InvalidChecksum):
        return f"{label}校验位不符"
    if isinstance(error, InvalidComponent):
        return f"{label}的出生日期不存在或行政区划代码未知"
    return f"{label}无效"


def check_uscc(value: str) -> str | None:
    """Why a form's USCC is invalid (GB 32100), or None when it is valid."""
    compact = value.strip()
    if not compact.isalnum():
        return f"{USCC_NAME}须为 18 位字母或数字，不含分隔符"
    try:
        uscc.validate(compact)
    except ValidationError as error:
        return _reason(error, USCC_NAME, compact, " GB 32100 字符集（不含 I、O、S、V、Z）")
    if compact != compact.upper():
        return f"{USCC_NAME}须为大写"
    return None


def check_ric(value: str) -> str | None:
    """Why a form's resident ID number is invalid (GB 11643), or None when it is valid."""
    compact = value.strip()
    if not compact.isalnum():
        return f"{RIC_NAME}须为 18 位数字（末位可为 X），不含分隔符"
    try:
        ric.validate(compact)
    except ValidationError as error:
        return _reason(error, RIC_NAME, compact, "数字及末位 X ")
    if compact.endswith("x"):
        return f"{RIC_NAME}末位校验码 X 须为大写"
    if ric.get_birth_date(compact) > datetime.date.today():
        return f"{RIC_NAME}中的出生日期晚于今天"
    return None
