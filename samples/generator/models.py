"""Synthetic identities, layout choices and the ground truth written beside each packet."""

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas import DocumentFields, DocumentKind, FilingType, FlagCode, Severity, Verdict

FontKey = Literal[
    "zenhei", "microhei", "noto_sans", "noto_sans_bold", "noto_serif", "uming", "ukai"
]


class CaptureMode(StrEnum):
    """How a document reached the checker; the first seven are cycled by the bench."""

    SCAN = "scan"
    PHOTO = "photo"
    ROT90 = "rot90"
    ROT180 = "rot180"
    ROT270 = "rot270"
    LOW_RES = "low_res"
    HARD = "hard"
    BLURRY = "blurry"
    PDF_TEXT = "pdf_text"
    PDF_SCAN = "pdf_scan"
    CORRUPT = "corrupt"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(_Frozen):
    """A synthetic resident: what the two sides of the ID card print."""

    name: str
    gender: Literal["男", "女"]
    ethnicity: str
    birth_date: date
    id_number: str
    address: str = Field(description="住址 as printed, no white space")
    province: str = Field(description="province of the 住址")
    issuing_authority: str = Field(description="签发机关, e.g. 杭州市公安局西湖分局")
    valid_from: date
    valid_to: date | None = Field(description="None means 长期")
    mobile: str
    email: str


class Company(_Frozen):
    """A synthetic market entity: what its business license prints."""

    name: str = Field(description="名称 as printed (full-width brackets possible)")
    uscc: str
    registration_number: str | None = Field(
        default=None, description="a legacy license's 15-digit 注册号, printed instead of the USCC"
    )
    form: Literal["company", "branch", "individual", "partnership"]
    entity_type: str = Field(description="类型 as printed")
    representative_label: Literal["法定代表人", "负责人", "经营者", "执行事务合伙人"]
    representative: str
    registered_capital: str | None
    established: date
    valid_to: date | None = Field(description="营业期限 end; None means 长期")
    has_term: bool = Field(description="False for 个体工商户, whose license has no 营业期限")
    address: str
    province: str = Field(description="registration province (that of the 登记机关)")
    issuing_authority: str
    issue_date: date = Field(description="the date printed under the 登记机关")
    business_scope: str


class LicenseLayout(_Frozen):
    """Visual choices for one business license rendering."""

    orientation: Literal["landscape", "portrait"] = "landscape"
    spaced_labels: bool = Field(default=True, description="名　　称 rather than 名称")
    value_below_label: bool = False
    authority_printed: bool = Field(default=True, description="False: 登记机关 only in the seal")
    legacy: bool = Field(default=False, description="before the unified code: 注册号, no USCC")
    family: Literal["paper", "electronic", "shangshi"] = Field(
        default="paper",
        description=(
            "electronic: the 电子营业执照 render (watermarks, no seal); shangshi: the "
            "Shenzhen/Zhuhai 商事主体 副本 (USCC under the title, 主体类型, 重要提示 box)"
        ),
    )
    value_shift: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="values filled in by a misaligned printer: this many line heights higher",
    )
    label_font: FontKey = "noto_sans_bold"
    value_font: FontKey = "noto_serif"
    text_scale: float = Field(default=1.0, ge=0.8, le=1.25)


class IdCardLayout(_Frozen):
    """Visual choices for one ID card rendering."""

    label_font: FontKey = "zenhei"
    value_font: FontKey = "noto_sans"
    tint: tuple[int, int, int] = (232, 240, 246)
    text_scale: float = Field(default=1.0, ge=0.9, le=1.1)


class ExpectedFlag(_Frozen):
    """A flag the checker must report for this packet."""

    code: FlagCode
    severity: Severity
    document: str | None = Field(default=None, description="file name, or None for form flags")
    field: str | None = Field(default=None, description="the form field concerned, if any")


class ExpectedDocument(_Frozen):
    """The truth about one file of the packet."""

    declared_kind: DocumentKind
    kind: DocumentKind | None = Field(description="what the file really is; None if unreadable")
    contains: list[DocumentKind] = Field(default_factory=list)
    capture_mode: CaptureMode
    readable: bool = True
    rotation: int = Field(default=0, description="degrees the content is turned clockwise")
    exif_orientation: int | None = Field(
        default=None, description="EXIF Orientation tag; applying it makes the image upright"
    )
    fields: DocumentFields = Field(default_factory=DocumentFields)


class ExpectedPacket(_Frozen):
    """Golden result of one packet (expected.json), made from the generator's truth."""

    packet_id: str
    scenario: str
    seed: int
    capture_mode: CaptureMode | None = Field(description="the mode requested for the packet")
    filing_type: FilingType
    verdict: Verdict = Field(description="the verdict the required flags lead to")
    acceptable_verdicts: list[Verdict] = Field(
        description="verdict, and the one reached if allowed extra flags also appear"
    )
    flags: list[ExpectedFlag]
    allowed_extra_flags: list[FlagCode]
    documents: dict[str, ExpectedDocument]
