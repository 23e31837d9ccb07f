"""The pre-checked packet report handed to reviewers."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas.document import DocumentResult
from schemas.flags import Flag
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
    pipeline_version: str
    engine: EngineInfo
    checked_at: datetime
    seconds: float = Field(default=0.0, ge=0)
