"""Field extraction from OCR lines: document kind, named fields, evidence, province sources."""

from dataclasses import dataclass, field

from pipeline.ocr.base import OcrLine
from schemas import DocumentFields, DocumentKind, FieldEvidence, FieldName


@dataclass
class Extraction:
    """What the lines of one document say."""

    kinds: list[DocumentKind]  # every kind detected, the primary one first; empty if none
    fields: DocumentFields
    evidence: dict[FieldName, FieldEvidence] = field(default_factory=dict)
    unread: dict[FieldName, str] = field(default_factory=dict)
    province_sources: dict[str, str] = field(default_factory=dict)


def extract(pages: list[list[OcrLine]], declared: DocumentKind | None) -> Extraction:
    """Detect the document kind(s) from the text and read every field (pages in order)."""
    raise NotImplementedError("pipeline.fields.extract is being written")
