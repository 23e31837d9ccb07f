"""Flags: what a reviewer must look at, and why."""

from enum import StrEnum

from pydantic import BaseModel, Field

from schemas.document import FieldName


class FlagCode(StrEnum):
    """Every finding the checker can report (exact names; other tools depend on them)."""

    NAME_MISMATCH = "NAME_MISMATCH"
    NUMBER_MISMATCH = "NUMBER_MISMATCH"
    REGION_MISMATCH = "REGION_MISMATCH"
    INVALID_NUMBER = "INVALID_NUMBER"
    DOCUMENT_EXPIRED = "DOCUMENT_EXPIRED"
    DOCUMENT_UNREADABLE = "DOCUMENT_UNREADABLE"
    DOCUMENT_KIND_MISMATCH = "DOCUMENT_KIND_MISMATCH"
    MISSING_DOCUMENT = "MISSING_DOCUMENT"
    LOW_QUALITY = "LOW_QUALITY"
    SOURCE_DISAGREEMENT = "SOURCE_DISAGREEMENT"
    PHONE_FORMAT = "PHONE_FORMAT"
    FORM_INVALID = "FORM_INVALID"


class Severity(StrEnum):
    """How much a flag weighs in the verdict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Flag(BaseModel):
    """One finding, with both sides of the disagreement and a Chinese message for the reviewer."""

    code: FlagCode
    severity: Severity
    field: str | None = Field(
        default=None, description="the form field(s) concerned (subject.name), or the document's"
    )
    document_field: FieldName | None = Field(
        default=None, description="the document field the flag is about, when it is about one"
    )
    document: str | None = Field(default=None, description="file name of the document concerned")
    form_value: str | None = None
    document_value: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1, description="OCR confidence")
    message: str = Field(min_length=1, description="for the reviewer, in Chinese")
