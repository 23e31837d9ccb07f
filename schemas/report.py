"""The pre-checked packet report handed to reviewers."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas.document import DocumentResult, FieldName
from schemas.flags import Flag, Severity
from schemas.form import FilingForm, FilingType


class Verdict(StrEnum):
    """What the reviewer is likely to decide."""

    PASS = "pass"
    REVIEW = "review"
    NEEDS_MATERIALS = "needs_materials"
    REJECT = "reject"


class EngineInfo(BaseModel):
    """Which OCR engine and model made the readings."""

    name: str
    version: str
    model: str


class ComparisonOutcome(StrEnum):
    """What a document says about one value of the form."""

    SUPPORTED = "supported"  # the document reads the form's value
    CONTRADICTED = "contradicted"  # the document reads a different value
    UNCLEAR = "unclear"  # one character off on a doubtful reading: a reviewer decides
    NOT_COMPARABLE = "not_comparable"  # e.g. a USCC against a legacy license's 注册号
    UNREAD = "unread"  # the document's field could not be read
    NO_DOCUMENT = "no_document"  # the document the rule needs is missing


class ComparedField(StrEnum):
    """The form fields the filing rules hold against a document (docs/RULES.md)."""

    SUBJECT_NAME = "subject.name"
    PRINCIPAL_NAME = "principal.name"
    SUBJECT_NUMBER = "subject.certificate_number"
    PRINCIPAL_ID_NUMBER = "principal.id_number"
    PROVINCE = "province"


class FieldComparison(BaseModel):
    """One value of the form held against the document field the filing rules pair it with."""

    field: ComparedField = Field(description="the form field held against the document")
    document: str | None = Field(default=None, description="file name of the document")
    document_field: FieldName
    form_value: str
    document_value: str | None = None
    outcome: ComparisonOutcome
    severity: Severity | None = Field(
        default=None, description="of the flag the comparison raised, if any"
    )
    confidence: float | None = Field(default=None, ge=0, le=1, description="of the reading")


class PacketReport(BaseModel):
    """The whole pre-check of one packet: documents, flags, verdict."""

    packet_id: str
    verdict: Verdict
    filing_type: FilingType | None = None
    form_province: str | None = None
    expected_province: str | None = Field(
        default=None, description="the province the documents allow for this filing"
    )
    form: FilingForm | None = Field(default=None, description="None when the form was invalid")
    documents: list[DocumentResult] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    comparisons: list[FieldComparison] = Field(
        default_factory=list, description="every form value held against a document field"
    )
    pipeline_version: str
    engine: EngineInfo
    checked_at: datetime
    seconds: float = Field(default=0.0, ge=0)
