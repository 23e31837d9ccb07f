"""The submitted filing form (form.json), exactly as intake services send it."""

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

# A packet id becomes a folder name and an object key: no separators, no "..".
PACKET_ID_PATTERN = r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def is_safe_packet_id(value: str) -> bool:
    """Whether a packet id can become a folder name and an object key as it is."""
    return re.fullmatch(PACKET_ID_PATTERN, value) is not None


class FilingType(StrEnum):
    """Who files: an organization (单位) or a person (个人)."""

    ORGANIZATION = "organization"
    PERSONAL = "personal"


class DocumentKind(StrEnum):
    """The kinds of uploaded document the checker reads."""

    BUSINESS_LICENSE = "business_license"
    ID_CARD_FRONT = "id_card_front"
    ID_CARD_BACK = "id_card_back"


class CertificateType(StrEnum):
    """The certificate that identifies the filing subject."""

    BUSINESS_LICENSE = "business_license"
    ID_CARD = "id_card"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class Subject(_Strict):
    """The filing subject (备案主体): the organization, or the person for personal filings."""

    name: str = Field(min_length=1, max_length=200, description="名称 / 姓名 as on the form")
    certificate_type: CertificateType
    certificate_number: str = Field(min_length=1, max_length=64)


class Principal(_Strict):
    """The principal in charge (主体负责人), identified by a resident ID card."""

    name: str = Field(min_length=1, max_length=100)
    id_type: str = Field(default="id_card", max_length=32)
    id_number: str = Field(min_length=1, max_length=64)
    mobile: str = Field(min_length=1, max_length=32)
    office_phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=254)


class DocumentRef(_Strict):
    """One uploaded file named by the form, with the kind the applicant declared."""

    file: str = Field(min_length=1, max_length=255, description="path relative to the packet")
    kind: DocumentKind


class FilingForm(_Strict):
    """The whole submitted form: subject, principal, chosen province and documents."""

    packet_id: str = Field(min_length=1, max_length=64)
    filing_type: FilingType
    province: str = Field(min_length=1, max_length=32, description="备案地域, full official name")
    subject: Subject
    principal: Principal
    documents: list[DocumentRef] = Field(max_length=64)

    @field_validator("packet_id")
    @classmethod
    def _safe_packet_id(cls, value: str) -> str:
        if not is_safe_packet_id(value):
            raise ValueError("letters, digits, '.', '_' and '-' only, no '..', at most 64")
        return value
