"""Whether each field read from a document agrees with the form, from the report's flags."""

from enum import StrEnum
from typing import get_args

from schemas import (
    ComparisonOutcome,
    DocumentKind,
    DocumentResult,
    FieldComparison,
    FieldName,
    Flag,
    Severity,
)

FIELD_NAMES: tuple[FieldName, ...] = get_args(FieldName)


class FieldState(StrEnum):
    """How a field's box is coloured on the document image."""

    AGREE = "agree"
    DISAGREE = "disagree"
    DOUBT = "doubt"
    READ = "read"
    UNREAD = "unread"


STATE_LABELS: dict[FieldState, str] = {
    FieldState.AGREE: "核对一致",
    FieldState.DISAGREE: "不一致（错误）",
    FieldState.DOUBT: "存疑（警告）",
    FieldState.READ: "已读出，未比对",
    FieldState.UNREAD: "未读出",
}


def flags_on_field(flags: list[Flag], document: DocumentResult, field: FieldName) -> list[Flag]:
    """The flags that name this document and this field."""
    return [f for f in flags if f.document == document.file and f.document_field == field]


def document_kind(document: DocumentResult) -> DocumentKind | None:
    """The kind the checks used: the detected kind, else the declared one."""
    return document.detected_kind or document.declared_kind


def compared(
    comparisons: list[FieldComparison], document: DocumentResult, field: FieldName
) -> list[FieldComparison]:
    """The comparisons the checks made with this document field (report.comparisons)."""
    return [c for c in comparisons if c.document == document.file and c.document_field == field]


def field_state(
    document: DocumentResult,
    field: FieldName,
    flags: list[Flag],
    comparisons: list[FieldComparison],
) -> FieldState:
    """Unread when not read, disagree/doubt when flagged, agree when a comparison supported
    it, else read — as the checks decided, nothing re-derived here."""
    if field in document.unread or getattr(document.fields, field) is None:
        return FieldState.UNREAD
    severities = {f.severity for f in flags_on_field(flags, document, field)}
    if Severity.ERROR in severities:
        return FieldState.DISAGREE
    if severities:
        return FieldState.DOUBT
    found = compared(comparisons, document, field)
    if found and all(c.outcome is ComparisonOutcome.SUPPORTED for c in found):
        return FieldState.AGREE
    return FieldState.READ


def form_value(
    comparisons: list[FieldComparison],
    document: DocumentResult,
    field: FieldName,
    flags: list[Flag],
) -> str | None:
    """The form's value this document field was compared with, if it was."""
    for comparison in compared(comparisons, document, field):
        return comparison.form_value
    for flag in flags_on_field(flags, document, field):
        if flag.form_value is not None:
            return flag.form_value
    return None
