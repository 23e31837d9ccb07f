"""What one uploaded document says: fields, evidence for each, and image quality."""

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from schemas.form import DocumentKind

FieldName = Literal[
    "name",
    "number",
    "province",
    "issuing_authority",
    "address",
    "valid_from",
    "valid_to",
    "legal_representative",
    "entity_type",
    "registered_capital",
    "established",
    "gender",
    "ethnicity",
    "birth_date",
]

# A quadrilateral as four (x, y) points in the pixels of the normalized page image.
Box = list[tuple[float, float]]


class TextSource(StrEnum):
    """Where a piece of text came from."""

    OCR = "ocr"
    TEXT_LAYER = "text_layer"
    DERIVED = "derived"


class ProvinceSource(StrEnum):
    """An independent source of a document holder's province (docs/RULES.md)."""

    AUTHORITY = "authority"  # 登记机关 / 签发机关 text
    ADDRESS = "address"  # 住所 / 住址
    USCC = "uscc"  # characters 3–8 of the USCC, a GB/T 2260 code
    ID_NUMBER = "id_number"  # digits 1–6 of the ID number: where it was assigned (informational)
    REGISTRATION = "registration"  # digits 1–6 of a legacy license's 注册号: its authority
    NAME = "name"  # a division opening the license's 名称 (not a branch's): a last resort


class NumberKind(StrEnum):
    """Which number `DocumentFields.number` holds."""

    USCC = "uscc"  # 统一社会信用代码, 18 characters (GB 32100)
    REGISTRATION = "registration"  # 注册号 of a license before the unified code: 15 (or 13) digits
    RESIDENT_ID = "resident_id"  # 公民身份号码, 18 characters (GB 11643)


class DocumentStatus(StrEnum):
    """Whether the document could be read at all."""

    OK = "ok"
    UNREADABLE = "unreadable"


class QualityIssue(StrEnum):
    """Capture problems worth a LOW_QUALITY flag."""

    BLUR = "blur"
    GLARE = "glare"
    LOW_RESOLUTION = "low_resolution"
    DARK = "dark"
    LOW_CONFIDENCE = "low_confidence"


class FieldEvidence(BaseModel):
    """The text a field value was read from, how sure the engine was, and where it stands."""

    text: str
    confidence: float = Field(ge=0, le=1)
    weakest_char_confidence: float | None = Field(
        default=None, ge=0, le=1, description="the least sure character of the lines read"
    )
    box: Box | None = None
    page: int = Field(default=0, ge=0)
    source: TextSource = TextSource.OCR
    note: str | None = Field(default=None, description="e.g. repaired O→0, derived from USCC")


class DocumentFields(BaseModel):
    """Field values; None means not read (the reason is in DocumentResult.unread)."""

    name: str | None = None
    number: str | None = None
    number_kind: NumberKind | None = Field(
        default=None, description="uscc, registration (a legacy license's 注册号), resident_id"
    )
    province: str | None = None
    issuing_authority: str | None = None
    address: str | None = None
    valid_from: str | None = Field(default=None, description="ISO date")
    valid_to: str | None = Field(default=None, description="ISO date, or 长期")
    legal_representative: str | None = None
    entity_type: str | None = None
    registered_capital: str | None = None
    established: str | None = Field(default=None, description="ISO date")
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: str | None = Field(default=None, description="ISO date")


class Quality(BaseModel):
    """Capture measures and the corrections applied before reading."""

    width: int = Field(default=0, ge=0, description="original pixels")
    height: int = Field(default=0, ge=0)
    page_width: int = Field(default=0, ge=0, description="normalized page pixels (evidence space)")
    page_height: int = Field(default=0, ge=0)
    rotation_applied: int = Field(default=0, description="degrees clockwise: 0, 90, 180, 270")
    perspective_corrected: bool = False
    scale: float = Field(default=1.0, gt=0, description="normalized / original size")
    blur: float = Field(default=0.0, ge=0, description="variance of the Laplacian; low = blurry")
    glare: float = Field(default=0.0, ge=0, le=1, description="share of saturated pixels")
    mean_confidence: float = Field(default=0.0, ge=0, le=1)
    issues: list[QualityIssue] = Field(default_factory=list)


class DocumentResult(BaseModel):
    """One document's reading: the shape of `filingcheck extract` and of report.documents[]."""

    file: str
    declared_kind: DocumentKind | None = None
    detected_kind: DocumentKind | None = None
    contains: list[DocumentKind] = Field(
        default_factory=list, description="every kind found, e.g. both ID card sides in one image"
    )
    status: DocumentStatus = DocumentStatus.OK
    error: str | None = Field(default=None, description="why the document could not be read")
    pages: int = Field(default=1, ge=0)
    text_source: TextSource = TextSource.OCR
    fields: DocumentFields = Field(default_factory=DocumentFields)
    evidence: dict[FieldName, FieldEvidence] = Field(default_factory=dict)
    unread: dict[FieldName, str] = Field(
        default_factory=dict, description="expected fields that were not read, with the reason"
    )
    province_sources: dict[ProvinceSource, str] = Field(
        default_factory=dict,
        description="each independent source of the holder's province, e.g. uscc / authority",
    )
    quality: Quality = Field(default_factory=Quality)
    seconds: float = Field(default=0.0, ge=0)
