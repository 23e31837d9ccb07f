"""From flags to the reviewer's likely decision (docs/RULES.md)."""

from collections.abc import Iterable
from typing import Protocol

from schemas import FlagCode, Severity, Verdict


class Finding(Protocol):
    """A flag, or an expected flag: a code and a severity are all a verdict needs."""

    @property
    def code(self) -> FlagCode: ...

    @property
    def severity(self) -> Severity: ...

REJECT_CODES = frozenset(
    {
        FlagCode.NAME_MISMATCH,
        FlagCode.NUMBER_MISMATCH,
        FlagCode.REGION_MISMATCH,
        FlagCode.INVALID_NUMBER,
        FlagCode.FORM_INVALID,
    }
)
MATERIAL_CODES = frozenset(
    {FlagCode.MISSING_DOCUMENT, FlagCode.DOCUMENT_UNREADABLE, FlagCode.DOCUMENT_EXPIRED}
)


def decide(findings: Iterable[Finding]) -> Verdict:
    """reject > needs_materials > review > pass."""
    flags = list(findings)
    errors = {flag.code for flag in flags if flag.severity is Severity.ERROR}
    if errors & REJECT_CODES:
        return Verdict.REJECT
    if errors & MATERIAL_CODES:
        return Verdict.NEEDS_MATERIALS
    if any(flag.severity in (Severity.ERROR, Severity.WARNING) for flag in flags):
        return Verdict.REVIEW
    return Verdict.PASS
