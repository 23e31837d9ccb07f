"""Mask ID card, credit-code and phone numbers in logs and progress output (reports keep them)."""

import logging
import re

MASK = "*"
KEPT_AT_EACH_END = 4  # 1101**********1234
MOBILE_KEPT_HEAD = 3  # 138****0000
MOBILE_KEPT_TAIL = 4

# A resident ID number (17 digits and a check digit or X; or 15 digits, first generation)
# not inside a longer run of digits: letters may touch it ("...1231front.jpg").
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)")
# An 18-character credit-code-like token (at least 6 digits; ASCII letters for the USCC
# alphabet and OCR noise), not inside a longer run of ASCII letters and digits.
_CODE_LIKE = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Za-z]*\d){6})[0-9A-Za-z]{18}(?![0-9A-Za-z])")
# A mainland mobile number, with an optional +86 / 86 / 086- prefix.
_MOBILE = re.compile(r"(?<![0-9A-Za-z])((?:\+?86[- ]?|086-)?1[3-9]\d)(\d{4})(\d{4})(?!\d)")
# A landline: area code 0AA(A), a separator, a 7–8 digit subscriber number.
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}[- ])(\d{3,4})(\d{4})(?!\d)")


def mask_id(value: str) -> str:
    """An ID number or USCC with all but its first and last four characters hidden."""
    if len(value) <= 2 * KEPT_AT_EACH_END:
        return MASK * len(value)
    hidden = len(value) - 2 * KEPT_AT_EACH_END
    return value[:KEPT_AT_EACH_END] + MASK * hidden + value[-KEPT_AT_EACH_END:]


def mask_phone(value: str) -> str:
    """A mobile as 138****0000, a landline as 010-****5678; other digit runs keep 4 digits."""
    masked = _mask_phones(value)
    if masked != value:
        return masked
    digits = sum(char.isdigit() for char in value)
    return _mask_digits_but_last(value, MOBILE_KEPT_TAIL) if digits > MOBILE_KEPT_TAIL else value


def mask_sensitive(text: str) -> str:
    """Free text with every ID-like, credit-code-like and phone number inside it masked."""
    text = _ID_NUMBER.sub(lambda match: mask_id(match.group(0)), text)
    text = _CODE_LIKE.sub(lambda match: mask_id(match.group(0)), text)
    return _mask_phones(text)


def _mask_phones(text: str) -> str:
    """Mobile and landline numbers inside the text masked."""
    text = _MOBILE.sub(lambda m: m.group(1) + MASK * len(m.group(2)) + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + MASK * len(m.group(2)) + m.group(3), text)


def _mask_digits_but_last(value: str, kept: int) -> str:
    """Every digit hidden except the last `kept` ones; separators stay."""
    total = sum(char.isdigit() for char in value)
    seen = 0
    chars = []
    for char in value:
        if char.isdigit():
            seen += 1
            chars.append(char if seen > total - kept else MASK)
        else:
            chars.append(char)
    return "".join(chars)


class MaskingFilter(logging.Filter):
    """A handler filter that masks numbers in the message, the traceback and the stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record with its numbers masked; never drops a record."""
        record.msg = mask_sensitive(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sensitive(record.stack_info)
        return True


def mask_log_handlers(logger: logging.Logger | None = None) -> None:
    """Add a MaskingFilter to every handler of the logger (the root by default), once each."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(existing, MaskingFilter) for existing in handler.filters):
            handler.addFilter(MaskingFilter())
