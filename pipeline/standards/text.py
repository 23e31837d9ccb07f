"""Text normalization and name comparison (NFKC, white space removed)."""

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

# Characters OCR tends to leave at the ends of a value: separators, seal fragments, dots.
_EDGE_NOISE = " \t:：;；,，.。、·|_-—~'\"“”‘’`!！?？*#"
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC-normalize and remove all white space (including U+3000); idempotent.

    NFKC turns a spacing accent (´ ¸) into a space and a combining mark; once the space is
    gone the mark stands next to the letter before it, so NFC composes the two here rather
    than on a second call.
    """
    compatible = unicodedata.normalize("NFKC", _WHITESPACE.sub("", text))
    return unicodedata.normalize("NFC", _WHITESPACE.sub("", compatible))


def strip_edge_noise(text: str) -> str:
    """Remove separators and stray punctuation from both ends of a normalized value."""
    return text.strip(_EDGE_NOISE)


def same_name(first: str, second: str) -> bool:
    """Whether two names are equal after normalization."""
    return normalize_text(first) == normalize_text(second)


def same_code(first: str, second: str) -> bool:
    """Whether two certificate numbers are equal after normalization, ignoring letter case."""
    return normalize_text(first).upper() == normalize_text(second).upper()


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance between two normalized strings."""
    return int(Levenshtein.distance(normalize_text(first), normalize_text(second)))


def one_char_off(first: str, second: str) -> bool:
    """Whether two names differ by exactly one inserted, deleted or replaced character."""
    return edit_distance(first, second) == 1


def within_one_slip(read: str, printed: str) -> bool:
    """Whether `read` is `printed`, or it with one character replaced or dropped."""
    if len(read) == len(printed):
        return sum(a != b for a, b in zip(read, printed, strict=True)) <= 1
    return len(read) == len(printed) - 1 and any(
        printed[:index] + printed[index + 1 :] == read for index in range(len(printed))
    )


def has_unclosed_bracket(text: str) -> bool:
    """Whether normalized text opens more brackets than it closes (…合伙企业(有限: NFKC has
    made every full-width bracket a plain one)."""
    return text.count("(") > text.count(")")
