"""Mask ID card and mobile numbers in anything the workers log."""

import logging
import re

# 18-character resident ID numbers: keep the first 4 and the last 4 characters.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
# Mainland mobile numbers: keep the first 3 and the last 4 digits.
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_numbers(text: str) -> str:
    """The text with ID numbers as 1101**********1234 and mobiles as 138****5678."""
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskingFilter(logging.Filter):
    """A handler filter that masks numbers in the message and in the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_numbers(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_numbers(logging.Formatter().formatException(record.exc_info))
        return True


def mask_all_log_handlers() -> None:
    """Add the masking filter to every handler of the root logger (once each)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
