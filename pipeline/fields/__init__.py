"""Field extraction from OCR lines: document kind, named fields, evidence, province sources."""

from dataclasses import dataclass, field

from pipeline.fields.authority import SealText
from pipeline.fields.classify import detect_kinds
from pipeline.fields.draft import Draft
from pipeline.fields.idcard import extract_id_back, extract_id_front
from pipeline.fields.license import extract_license
from pipeline.fields.lines import Line, to_lines
from pipeline.ocr.base import OcrLine
from pipeline.standards.numbers import is_registration_number
from schemas import (
    DocumentFields,
    DocumentKind,
    FieldEvidence,
    FieldName,
    NumberKind,
    ProvinceSource,
)

# The fields the back of an ID card contributes when both sides are in one image.
BACK_FIELDS: tuple[FieldName, ...] = ("issuing_authority", "valid_from", "valid_to")


@dataclass
class Extraction:
    """What the lines of one document say."""

    kinds: list[DocumentKind]  # every kind detected, the primary one first; empty if none
    fields: DocumentFields
    evidence: dict[FieldName, FieldEvidence] = field(default_factory=dict)
    unread: dict[FieldName, str] = field(default_factory=dict)
    province_sources: dict[ProvinceSource, str] = field(default_factory=dict)


def _both_sides(front: Draft, back: Draft) -> Draft:
    """The front's fields plus the back's authority and validity; province stays the front's."""
    for name in BACK_FIELDS:
        front.values.pop(name, None)
        front.unread.pop(name, None)
        if name in back.values:
            front.put(name, back.values[name], back.evidence[name])
        else:
            front.miss(name, back.unread.get(name, "未读出"), back.evidence.get(name))
    front.province_sources.update(back.province_sources)
    return front


def _read(kinds: list[DocumentKind], lines: list[Line], seal: SealText | None) -> Draft:
    """Run the extractor of the primary kind (both ID sides when both are present)."""
    primary = kinds[0]
    if primary is DocumentKind.BUSINESS_LICENSE:
        return extract_license(lines, seal)
    has_front = DocumentKind.ID_CARD_FRONT in kinds
    has_back = DocumentKind.ID_CARD_BACK in kinds
    if has_front and has_back:
        return _both_sides(extract_id_front(lines), extract_id_back(lines))
    if primary is DocumentKind.ID_CARD_FRONT:
        return extract_id_front(lines)
    return extract_id_back(lines)


def number_kind(kind: DocumentKind, number: str | None) -> NumberKind | None:
    """Which number was read: a license's USCC or legacy 注册号, or an ID number."""
    if number is None:
        return None
    if kind is not DocumentKind.BUSINESS_LICENSE:
        return NumberKind.RESIDENT_ID
    return NumberKind.REGISTRATION if is_registration_number(number) else NumberKind.USCC


def extract(
    pages: list[list[OcrLine]], declared: DocumentKind | None, seal: SealText | None = None
) -> Extraction:
    """Detect the document kind(s) from the text and read every field (pages in order); a
    license's seal text, when read, stands in for an unread printed authority."""
    lines = to_lines(pages)
    kinds = detect_kinds(lines, declared)
    if not kinds:
        return Extraction(kinds=[], fields=DocumentFields())
    draft = _read(kinds, lines, seal)
    fields = draft.fields()
    fields.number_kind = number_kind(kinds[0], fields.number)
    return Extraction(
        kinds=kinds,
        fields=fields,
        evidence=draft.evidence,
        unread=draft.unread,
        province_sources=draft.province_sources,
    )
