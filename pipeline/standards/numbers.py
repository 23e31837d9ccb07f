"""Whether a USCC (GB 32100-2015) or a resident ID number (GB 11643-1999) is genuine.

The rules are the standards', stated once (docs/RULES.md, "Number validity"):

- GB 11643: 17 digits and a check character (ISO 7064 MOD 11-2, `X` = 10); digits 7–14 a real
  date, not in the future; digits 1–6 a GB/T 2260 division code that exists or existed at any
  time. The code is that of the place where the number was *assigned* (numbers exist since
  1984), so a code created after the birth year is normal and abolished codes stay valid for
  life. python-stdnum's `cn.ric.is_valid` demands that the code existed in the birth year: it
  is not used here; its check-character function (ISO 7064 MOD 11-2 exactly) and the GB/T 2260
  table are.
- GB 32100: 18 characters of `0-9A-HJ-NP-RTUW-Y` and a check character (mod 31); character 1
  one of the standard's registration authorities (1–9, A, N, Y), character 2 one of that
  authority's entity types (both closed tables of the standard), 3–8 a GB/T 2260 code.

- Registration numbers (注册号) of licenses from before the unified code: 15 digits, the first
  six the registering authority's GB/T 2260 division, the last a check digit (GB/T 17710,
  ISO 7064 MOD 11,10; python-stdnum's `iso7064.mod_11_10` implements it exactly). Licenses
  issued before the 15-digit numbering (2007) carry 13 digits: the division and a serial,
  no check digit — such a number can never be verified, only doubted.

A failure of format, check character, date or the standard's closed tables is *fatal*: the
number cannot be genuine. A division code that GB/T 2260 never had is a *doubt*: the table
may lag reality, so a reviewer looks, but nothing is rejected for it alone.
"""

import datetime
from dataclasses import dataclass

from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10

from pipeline.standards.divisions import is_division_code

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NUMBER_LENGTH = 18
USCC_NAME = "统一社会信用代码"  # how reasons and notes name each number
RIC_NAME = "身份证号码"
REGISTRATION_NAME = "注册号"
REGISTRATION_LENGTH = 15
OLD_REGISTRATION_LENGTH = 13  # a 注册号 from before 2007: division code + serial, no check digit
NATIONAL_DIVISION = "100000"  # USCCs registered by a national authority
# GB 32100-2015: registration authority (character 1) → its entity types (character 2).
# 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商 (市场监管),
# A 中央军委改革和编制办公室, N 农业, Y 其他.
USCC_ENTITY_TYPES = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129",
    "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}  # fmt: skip


@dataclass(frozen=True)
class NumberProblem:
    """Why a number is not (or may not be) genuine; `fatal` when it cannot be."""

    reason: str
    fatal: bool


def _fatal(reason: str) -> NumberProblem:
    return NumberProblem(reason, fatal=True)


def _doubt(reason: str) -> NumberProblem:
    return NumberProblem(reason, fatal=False)


def ric_birth_date(number: str) -> datetime.date | None:
    """The date coded in digits 7–14 of an ID number, or None when it is no real date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _ric_form_problem(number: str, today: datetime.date) -> NumberProblem | None:
    """Length, characters, check character and date (the fatal rules of GB 11643)."""
    if len(number) != NUMBER_LENGTH:
        return _fatal(f"{RIC_NAME}应为 {NUMBER_LENGTH} 位，实为 {len(number)} 位")
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        return _fatal(f"{RIC_NAME}含有数字及末位 X 以外的字符")
    if number[-1] != ric.calc_check_digit(number):
        return _fatal(f"{RIC_NAME}校验位不符")
    birth = ric_birth_date(number)
    if birth is None:
        return _fatal(f"{RIC_NAME}中的出生日期 {number[6:14]} 不是真实日期")
    if birth > today:
        return _fatal(f"{RIC_NAME}中的出生日期晚于今天")
    return None


def ric_problem(number: str, today: datetime.date | None = None) -> NumberProblem | None:
    """Why an ID number is not genuine (fatal) or doubtful (unknown division), or None."""
    problem = _ric_form_problem(number, today or datetime.date.today())
    if problem is not None:
        return problem
    if not is_division_code(number[:6]):
        return _doubt(f"{RIC_NAME}的前 6 位 {number[:6]} 不是任何年份的 GB/T 2260 行政区划代码")
    return None


def is_genuine_ric(number: str) -> bool:
    """Whether an ID number passes every fatal rule of GB 11643 (the division may be unknown)."""
    problem = ric_problem(number)
    return problem is None or not problem.fatal


def _uscc_form_problem(number: str) -> NumberProblem | None:
    """Length, alphabet and check character (the fatal rules of GB 32100)."""
    if len(number) != NUMBER_LENGTH:
        return _fatal(f"{USCC_NAME}应为 {NUMBER_LENGTH} 位，实为 {len(number)} 位")
    alphabet_ok = all(char in USCC_ALPHABET for char in number)
    if not alphabet_ok or not number[1:8].isdigit():
        return _fatal(f"{USCC_NAME}含有 GB 32100 字符集（不含 I、O、S、V、Z）以外的字符")
    if number[-1] != uscc.calc_check_digit(number[:-1]):
        return _fatal(f"{USCC_NAME}校验位不符")
    return None


def _uscc_codes_problem(number: str) -> NumberProblem | None:
    """Character 1 and 2 outside GB 32100's closed tables (fatal); an unknown division (doubt)."""
    types = USCC_ENTITY_TYPES.get(number[0])
    if types is None:
        return _fatal(f"{USCC_NAME}首位「{number[0]}」不是 GB 32100 登记管理部门代码")
    if number[1] not in types:
        authority = number[0]
        return _fatal(
            f"{USCC_NAME}的机构类别「{number[1]}」不属于 GB 32100 登记管理部门「{authority}」"
        )
    division = number[2:8]
    if division != NATIONAL_DIVISION and not is_division_code(division):
        return _doubt(f"{USCC_NAME}第 3–8 位 {division} 不是任何年份的 GB/T 2260 行政区划代码")
    return None


def uscc_problem(number: str) -> NumberProblem | None:
    """Why a USCC is not genuine (fatal) or doubtful (unknown codes), or None."""
    return _uscc_form_problem(number) or _uscc_codes_problem(number)


def is_genuine_uscc(number: str) -> bool:
    """Whether a USCC passes every fatal rule of GB 32100 (its codes may be unknown)."""
    problem = uscc_problem(number)
    return problem is None or not problem.fatal


def is_registration_number(number: str) -> bool:
    """Whether a number has a 注册号's form: 15 digits, or the 13 of one from before 2007."""
    return number.isdigit() and len(number) in (REGISTRATION_LENGTH, OLD_REGISTRATION_LENGTH)


def registration_problem(number: str) -> NumberProblem | None:
    """Why a 15-digit registration number is not genuine (fatal) or doubtful, or None; a
    13-digit one is always doubtful (it has no check digit)."""
    if len(number) == OLD_REGISTRATION_LENGTH and number.isdigit():
        unverifiable = f"{REGISTRATION_NAME}（2007 年前的格式）没有校验位，无法校验"
        return _division_doubt(number) or _doubt(f"{OLD_REGISTRATION_LENGTH} 位{unverifiable}")
    if len(number) != REGISTRATION_LENGTH:
        return _fatal(f"{REGISTRATION_NAME}应为 {REGISTRATION_LENGTH} 位，实为 {len(number)} 位")
    if not number.isdigit():
        return _fatal(f"{REGISTRATION_NAME}须为 {REGISTRATION_LENGTH} 位数字")
    if not mod_11_10.is_valid(number):
        return _fatal(f"{REGISTRATION_NAME}校验位不符（GB/T 17710）")
    return _division_doubt(number)


def _division_doubt(number: str) -> NumberProblem | None:
    """A doubt when a 注册号's first six digits are no GB/T 2260 code of any year."""
    division = number[:6]
    if division != NATIONAL_DIVISION and not is_division_code(division):
        reason = f"前 6 位 {division} 不是任何年份的 GB/T 2260 行政区划代码"
        return _doubt(REGISTRATION_NAME + reason)
    return None
