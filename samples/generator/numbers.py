"""USCCs (GB 32100) and resident ID numbers (GB 11643) with their check characters.

The check characters are computed here from the standards' own definitions, not with the
library the checker uses, so that the checker is tested against an independent implementation.
"""

import random
from datetime import date

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def ric_check_char(body: str) -> str:
    """GB 11643's check character of 17 digits: ISO 7064 MOD 11-2, weights 2^(17-i) mod 11."""
    total = sum(int(digit) * pow(2, 17 - index, 11) for index, digit in enumerate(body))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def uscc_check_char(body: str) -> str:
    """GB 32100's check character of 17 characters: weights 3^(i-1) mod 31, 31 − Σ mod 31."""
    total = sum(USCC_ALPHABET.index(char) * pow(3, index, 31) for index, char in enumerate(body))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_code(rng: random.Random) -> str:
    """A 9-char GB 11714 organization code: new style MA… or 8 digits + check char."""
    if rng.random() < 0.5:
        return "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    body = "".join(rng.choice("0123456789") for _ in range(8))
    remainder = 11 - sum(int(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)) % 11
    check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    return body + check


def make_uscc(division_code: str, rng: random.Random, entity_type: str = "1") -> str:
    """A USCC registered by market regulation (9) in the given division."""
    body = "9" + entity_type + division_code + organization_code(rng)
    return body + uscc_check_char(body)


def with_wrong_check_char(number: str, rng: random.Random) -> str:
    """The same USCC with a different, therefore wrong, check character."""
    wrong = rng.choice([c for c in USCC_ALPHABET if c != number[-1]])
    return number[:-1] + wrong


def make_id_number(division_code: str, birth: date, male: bool, rng: random.Random) -> str:
    """An 18-digit resident ID number; the sequence is odd for men, even for women."""
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{division_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric_check_char(body)
