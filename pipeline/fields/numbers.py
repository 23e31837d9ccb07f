"""USCC (GB 32100) and resident ID (GB 11643) numbers: form checks and OCR repair."""

import datetime
import itertools
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.standards.numbers import (
    NUMBER_LENGTH,
    REGISTRATION_LENGTH,
    REGISTRATION_NAME,
    RIC_NAME,
    USCC_ALPHABET,
    USCC_NAME,
    NumberProblem,
    is_registration_number,
    registration_problem,
    ric_birth_date,
    ric_problem,
    uscc_problem,
)

DIGITS = "0123456789"
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


@dataclass(frozen=True)
class NumberReading:
    """A number as read by OCR and the valid value it was repaired to, if any."""

    reading: str
    value: str | None
    valid: bool
    repaired: bool
    note: str | None = None
    guessed: bool = False  # chosen by the check character among confusable alternatives
    candidates: tuple[str, ...] = ()  # the valid repairs when there were several


UsccReading = NumberReading
RicReading = NumberReading


@dataclass(frozen=True)
class _Scheme:
    """What one kind of number allows at each position and how OCR confuses it."""

    label: str
    allowed: Callable[[int], str]
    forced: Callable[[int, str], str | None]
    pairs: list[str]
    problem: Callable[[str], NumberProblem | None]  # its standard's verdict (standards/numbers.py)
    implausible: Callable[[str], str | None]  # why a valid number is surely a misreading
    length: int = NUMBER_LENGTH

    def is_valid(self, candidate: str) -> bool:
        """Passes every fatal rule of its standard."""
        problem = self.problem(candidate)
        return problem is None or not problem.fatal

    def doubt(self, candidate: str) -> NumberProblem | None:
        """Why a valid number may not be real (a division code the table never had)."""
        problem = self.problem(candidate)
        return problem if problem is not None and not problem.fatal else None


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
    """Digits for characters 1–8 (1 may also be the authorities A, N, Y); the alphabet after.
    Which authorities and types exist is the standard's check (standards/numbers.py)."""
    if position == 0:
        return DIGITS + "ANY"
    return DIGITS if position < 8 else USCC_ALPHABET


def _uscc_forced(position: int, char: str) -> str | None:
    """The valid character an out-of-alphabet reading stands for, if any."""
    if position < 8:
        return _TO_DIGIT.get(char)
    upper = char.upper()
    return _TO_USCC_LETTER.get(upper, upper if upper in USCC_ALPHABET else None)


def _ric_allowed(position: int) -> str:
    """Digits, and X as the check character."""
    return DIGITS + "X" if position == NUMBER_LENGTH - 1 else DIGITS


def _ric_forced(position: int, char: str) -> str | None:
    """The digit (or check X) a non-digit reading stands for, if any."""
    if position == NUMBER_LENGTH - 1 and char in "xXKk":
        return "X"
    return _TO_DIGIT.get(char)


def _no_implausibility(candidate: str) -> str | None:
    """A USCC that passes GB 32100's fatal rules is never surely a misreading."""
    return None


def _ric_implausible(candidate: str) -> str | None:
    """Why a valid ID number is surely a misreading: born before 1900."""
    birth = ric_birth_date(candidate)
    if birth is not None and birth >= datetime.date(1900, 1, 1):
        return None
    return f"出生日期 {candidate[6:14]} 早于 1900 年"


USCC_SCHEME = _Scheme(
    USCC_NAME, _uscc_allowed, _uscc_forced, _USCC_PAIRS, uscc_problem, _no_implausibility
)
RIC_SCHEME = _Scheme(RIC_NAME, _ric_allowed, _ric_forced, _RIC_PAIRS, ric_problem, _ric_implausible)
def _registration_implausible(candidate: str) -> str | None:
    """Why a 注册号 read with a valid check digit is surely a misreading: every genuine one
    opens with its authority's division code, so a code the table never had (911011… of a
    USCC read short) is not one. A form's number with such a code is only doubtful."""
    doubt = registration_problem(candidate)
    return doubt.reason.removeprefix(REGISTRATION_NAME) if doubt is not None else None


REGISTRATION_SCHEME = _Scheme(
    REGISTRATION_NAME,
    lambda _position: DIGITS,
    lambda _position, char: _TO_DIGIT.get(char),
    _RIC_PAIRS[:-2],  # digit pairs only: a registration number has no X
    registration_problem,
    _registration_implausible,
    REGISTRATION_LENGTH,
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


def _forced_insertions(text: str, scheme: _Scheme) -> Iterator[tuple[str, list[str]]]:
    """Every text with one character its position allows put in (OCR lost one), all its
    characters then forced valid: many pass the check character, so the recognizer's own
    output has to choose among them (pipeline/fields/codes.py, supported_choice)."""
    for position in range(len(text) + 1):
        for char in scheme.allowed(position):
            forced = _force(text[:position] + char + text[position:], scheme)
            if not isinstance(forced, str):
                note = f"补上漏读的「{char}」（第 {position + 1} 位）"
                yield forced[0], [note, *forced[1]]


def _unique(
    candidates: Iterator[tuple[str, list[str]]], scheme: _Scheme
) -> list[tuple[str, list[str]]]:
    """The distinct valid candidates without doubt (at most MAX_CANDIDATES tried)."""
    found: dict[str, list[str]] = {}
    for candidate, notes in itertools.islice(candidates, MAX_CANDIDATES):
        if candidate in found or not scheme.is_valid(candidate):
            continue
        if scheme.implausible(candidate) is None and scheme.doubt(candidate) is None:
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
    candidates = tuple(value for value, _ in found)
    return NumberReading(reading, None, False, False, reason, candidates=candidates)


def _as_read(reading: str, text: str, forced_notes: list[str], scheme: _Scheme) -> NumberReading:
    """A reading valid as read (after forcing letters to digits) is kept, never swapped for
    another valid number; a doubt about its codes travels in the note."""
    notes = ["已修正 " + "、".join(forced_notes)] if forced_notes else []
    doubt = scheme.doubt(text)
    if doubt is not None:
        notes.append(f"校验位相符，但{doubt.reason}")
    return NumberReading(reading, text, True, bool(forced_notes), "；".join(notes) or None)


def _repair(reading: str, scheme: _Scheme) -> NumberReading:
    """Force invalid characters, then try 1..MAX_SUBSTITUTIONS confusable substitutions."""
    text = clean_reading(reading)
    one_off = {
        scheme.length + 1: _forced_deletions,
        scheme.length - 1: _forced_insertions,
    }.get(len(text))
    if one_off is not None:
        found = _unique(one_off(text, scheme), scheme)
        if found:
            return _decide(reading, text, found, scheme)
    if len(text) != scheme.length:
        reason = f"{scheme.label}读出 {len(text)} 位，应为 {scheme.length} 位"
        return NumberReading(reading, None, False, False, reason)
    forced = _force(text, scheme)
    if isinstance(forced, str):
        return NumberReading(reading, None, False, False, f"{scheme.label}：{forced}")
    forced_text, forced_notes = forced
    if scheme.is_valid(forced_text) and scheme.implausible(forced_text) is None:
        return _as_read(reading, forced_text, forced_notes, scheme)
    for count in range(1, MAX_SUBSTITUTIONS + 1):
        found = _unique(_substitutions(forced_text, scheme, count), scheme)
        if found:
            return _decide(reading, text, found, scheme)
    return NumberReading(reading, None, False, False, _unrepairable(forced_text, scheme))


def _unrepairable(text: str, scheme: _Scheme) -> str:
    """Why a full-length reading could not be read as a number: the standard's own reason."""
    implausible = scheme.implausible(text) if scheme.is_valid(text) else None
    if implausible is not None:
        return f"{scheme.label}校验位相符，但{implausible}"
    problem = scheme.problem(text)
    if problem is None or "校验位" in problem.reason:
        return f"{scheme.label}校验位不符，且无法修正"
    reason = problem.reason.removeprefix(scheme.label)
    return f"{scheme.label}校验位相符，但{reason.removeprefix('中的').removeprefix('的')}"


def repair_uscc(reading: str) -> NumberReading:
    """Read a USCC from OCR text, repairing confusable characters until it validates."""
    return _repair(reading, USCC_SCHEME)


def repair_registration(reading: str) -> NumberReading:
    """Read a legacy 15-digit registration number (注册号, GB/T 17710 check digit)."""
    return _repair(reading, REGISTRATION_SCHEME)


def repair_ric(reading: str) -> NumberReading:
    """Read a resident ID number from OCR text, repairing confusable characters."""
    return _repair(reading, RIC_SCHEME)


def _form_problem(
    value: str, check: Callable[[str], NumberProblem | None], label: str, charset: str
) -> NumberProblem | None:
    """A form number's problem: separators and lower case first, then the standard's rules."""
    compact = value.strip()
    if not compact.isalnum():
        return NumberProblem(f"{label}须为 18 位{charset}，不含分隔符", fatal=True)
    if compact != compact.upper() and check(compact.upper()) is None:
        return NumberProblem(f"{label}中的字母须为大写", fatal=True)
    return check(compact)


def check_uscc(value: str) -> NumberProblem | None:
    """Why a form's USCC is invalid or doubtful under GB 32100, or None when it is genuine."""
    return _form_problem(value, uscc_problem, USCC_NAME, "字母或数字")


def check_license_number(value: str) -> NumberProblem | None:
    """A form's business-license number: a USCC, or a legacy 注册号 (15 digits, GB/T 17710;
    13 before 2007)."""
    compact = value.strip()
    if is_registration_number(compact):
        return registration_problem(compact)
    return check_uscc(value)


def check_ric(value: str) -> NumberProblem | None:
    """Why a form's ID number is invalid or doubtful under GB 11643, or None when genuine."""
    return _form_problem(value, ric_problem, RIC_NAME, "数字（末位可为 X）")
