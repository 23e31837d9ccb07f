"""From flags to the reviewer's likely decision (docs/RULES.md)."""

from schemas import Flag, FlagCode, Severity, Verdict

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


def decide(flags: list[Flag]) -> Verdict:
    """reject > needs_materials > review > pass."""
    errors = {flag.code for flag in flags if flag.severity is Severity.ERROR}
    if errors & REJECT_CODES:
        return Verdict.REJECT
    if errors & MATERIAL_CODES:
        return Verdict.NEEDS_MATERIALS
    if any(flag.severity in (Severity.ERROR, Severity.WARNING) for flag in flags):
        return Verdict.REVIEW
    return Verdict.PASS
