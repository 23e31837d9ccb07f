"""The verdict that a set of flags leads to, as docs/RULES.md defines it."""

from collections.abc import Iterable

from samples.generator.models import ExpectedFlag
from schemas import FlagCode, Severity, Verdict

REJECTING = {
    FlagCode.NAME_MISMATCH,
    FlagCode.NUMBER_MISMATCH,
    FlagCode.REGION_MISMATCH,
    FlagCode.INVALID_NUMBER,
    FlagCode.FORM_INVALID,
}
NEEDING_MATERIALS = {
    FlagCode.MISSING_DOCUMENT,
    FlagCode.DOCUMENT_UNREADABLE,
    FlagCode.DOCUMENT_EXPIRED,
}


def verdict_for(flags: Iterable[ExpectedFlag]) -> Verdict:
    """reject > needs_materials > review (any warning) > pass."""
    flag_list = list(flags)
    errors = {f.code for f in flag_list if f.severity == Severity.ERROR}
    if errors & REJECTING:
        return Verdict.REJECT
    if errors & NEEDING_MATERIALS:
        return Verdict.NEEDS_MATERIALS
    if any(f.severity in (Severity.WARNING, Severity.ERROR) for f in flag_list):
        return Verdict.REVIEW
    return Verdict.PASS


def acceptable_verdicts(flags: list[ExpectedFlag], extra: list[FlagCode]) -> list[Verdict]:
    """The verdict of the required flags, plus 'review' when allowed warnings may be added."""
    required = verdict_for(flags)
    verdicts = [required]
    if extra and required == Verdict.PASS:
        verdicts.append(Verdict.REVIEW)
    return verdicts
