"""Whether each field read from a document agrees with the form, from the report's flags."""

from enum import StrEnum
from typing import get_args

from schemas import (
    DocumentKind,
    DocumentResult,
    FieldName,
    FilingForm,
    FilingType,
    Flag,
    Severity,
)

FIELD_NAMES: tuple[FieldName, ...] = get_args(FieldName)

# Document fields compared with the form or checked against today (docs/RULES.md, Flags).
_CHECKED_FIELDS: dict[tuple[FilingType, DocumentKind | None], frozenset[FieldName]] = {
    (FilingType.ORGANIZATION, DocumentKind.BUSINESS_LICENSE): frozenset(
        {"name", "number", "province", "valid_to"}
    ),
    (FilingType.ORGANIZATION, DocumentKind.ID_CARD_FRONT): frozenset({"name", "number"}),
    (FilingType.ORGANIZATION, DocumentKind.ID_CARD_BACK): frozenset({"valid_to"}),
    (FilingType.PERSONAL, DocumentKind.ID_CARD_FRONT): frozenset({"name", "number", "province"}),
    (FilingType.PERSONAL, DocumentKind.ID_CARD_BACK): frozenset({"province", "valid_to"}),
}


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


def field_state(
    document: DocumentResult,
    field: FieldName,
    flags: list[Flag],
    filing_type: FilingType | None,
) -> FieldState:
    """Unread when not read, disagree/doubt when flagged, agree when checked, else read."""
    if field in document.unread or getattr(document.fields, field) is None:
        return FieldState.UNREAD
    severities = {f.severity for f in flags_on_field(flags, document, field)}
    if Severity.ERROR in severities:
        return FieldState.DISAGREE
    if severities:
        return FieldState.DOUBT
    if filing_type is None:
        return FieldState.READ
    checked = _CHECKED_FIELDS.get((filing_type, document_kind(document)), frozenset())
    return FieldState.AGREE if field in checked else FieldState.READ


def form_value(
    form: FilingForm | None, document: DocumentResult, field: FieldName, flags: list[Flag]
) -> str | None:
    """The form's value for a document field: from its flag if flagged, else from the form."""
    for flag in flags_on_field(flags, document, field):
        if flag.form_value is not None:
            return flag.form_value
    if form is None:
        return None
    return _form_value_by_kind(form, document_kind(document), field)


def _form_value_by_kind(
    form: FilingForm, kind: DocumentKind | None, field: FieldName
) -> str | None:
    """Which form field a document field is compared with (docs/RULES.md)."""
    personal = form.filing_type is FilingType.PERSONAL
    if field == "province" and (kind is DocumentKind.BUSINESS_LICENSE or personal):
        return form.province
    if kind is DocumentKind.BUSINESS_LICENSE:
        values = {"name": form.subject.name, "number": form.subject.certificate_number}
        return values.get(field)
    if kind is DocumentKind.ID_CARD_FRONT:
        values = {"name": form.principal.name, "number": form.principal.id_number}
        return values.get(field)
    return None
