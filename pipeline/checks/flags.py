"""Small builders shared by the checks."""

from schemas import DocumentResult, FieldName, Flag, FlagCode, Severity


def make_flag(
    code: FlagCode,
    severity: Severity,
    message: str,
    *,
    field: str | None = None,
    document_field: FieldName | None = None,
    document: str | None = None,
    form_value: str | None = None,
    document_value: str | None = None,
    confidence: float | None = None,
) -> Flag:
    """A Flag with its optional parts named."""
    return Flag(
        code=code,
        severity=severity,
        message=message,
        field=field,
        document_field=document_field,
        document=document,
        form_value=form_value,
        document_value=document_value,
        confidence=None if confidence is None else round(confidence, 3),
    )


def confidence_of(document: DocumentResult, field: FieldName) -> float | None:
    """How sure the engine was of one field: its least sure character where known."""
    evidence = document.evidence.get(field)
    if evidence is None:
        return None
    if evidence.weakest_char_confidence is None:
        return evidence.confidence
    return min(evidence.confidence, evidence.weakest_char_confidence)
