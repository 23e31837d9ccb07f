"""Valid USCCs (GB 32100) and resident ID numbers (GB 11643), built with python-stdnum."""

import random
from datetime import date

from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code(rng: random.Random) -> str:
    """A 9-char GB 11714 organization code: new style MA… or 8 digits + check char."""
    if rng.random() < 0.5:
        return "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    body = "".join(rng.choice("0123456789") for _ in range(8))
    remainder = 11 - sum(int(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)) % 11
    check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    return body + check


def make_uscc(division_code: str, rng: random.Random, entity_type: str = "1") -> str:
    """A valid USCC registered by market regulation (9) in the given division."""
    body = "9" + entity_type + division_code + organization_code(rng)
    number = body + uscc.calc_check_digit(body)
    if not uscc.is_valid(number):
        raise ValueError(f"generated an invalid USCC {number}")
    return number


def with_wrong_check_char(number: str, rng: random.Random) -> str:
    """The same USCC with a different, therefore wrong, check character."""
    wrong = rng.choice([c for c in USCC_ALPHABET if c != number[-1]])
    return number[:-1] + wrong


def make_id_number(division_code: str, birth: date, male: bool, rng: random.Random) -> str:
    """A valid 18-digit resident ID number; the sequence is odd for men, even for women."""
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{division_code}{birth:%Y%m%d}{sequence:03d}"
    number = body + ric.calc_check_digit(body + "0")
    if not ric.is_valid(number):
        raise ValueError(f"invalid ID number {number}: division not valid in {birth.year}?")
    return number
