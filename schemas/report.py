"""The pre-checked packet report handed to reviewers."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas.document import Box, DocumentResult, FieldName
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


class CharacterDoubt(BaseModel):
    """One character where the form's value and the document's best reading differ."""

    form_char: str = Field(description='the form\'s character; "" where the form has none')
    document_char: str = Field(description='the character read; "" where the form adds one')
    form_char_probability: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="the highest the recognizer gave the form's character there",
    )
    document_char_probability: float | None = Field(
        default=None, ge=0, le=1, description="the highest it gave the character it read there"
    )
    line_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="how sure the recognizer was of the line the doubt falls in (its mean)",
    )
    clear: bool = Field(description="the recognizer was sure: a different character, not a blur")
    page: int = Field(default=0, ge=0)
    box: Box = Field(description="where on the page (evidence space), to crop")


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
    margin: float | None = Field(
        default=None,
        description="log P(form value) − log P(best reading) under the recognizer's output for"
        " the field's lines, in nats: 0 when the document reads the form's value; None when"
        " not scored (no recognizer output, e.g. a PDF text layer)",
    )
    doubts: list[CharacterDoubt] = Field(
        default_factory=list, description="where the form's value and the reading differ"
    )


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
