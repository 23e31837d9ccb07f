"""Pydantic models of everything that crosses a boundary: form, documents, flags, report."""

from schemas.document import (
    Box,
    DocumentFields,
    DocumentResult,
    DocumentStatus,
    FieldEvidence,
    FieldName,
    NumberKind,
    ProvinceSource,
    Quality,
    QualityIssue,
    TextSource,
)
from schemas.flags import Flag, FlagCode, Severity
from schemas.form import (
    CertificateType,
    DocumentKind,
    DocumentRef,
    FilingForm,
    FilingType,
    Principal,
    Subject,
)
from schemas.report import (
    ComparedField,
    ComparisonOutcome,
    EngineInfo,
    FieldComparison,
    PacketReport,
    Verdict,
)

__all__ = [
    "Box",
    "CertificateType",
    "ComparedField",
    "ComparisonOutcome",
    "DocumentFields",
    "DocumentKind",
    "DocumentRef",
    "DocumentResult",
    "DocumentStatus",
    "EngineInfo",
    "FieldComparison",
    "FieldEvidence",
    "FieldName",
    "FilingForm",
    "FilingType",
    "Flag",
    "FlagCode",
    "NumberKind",
    "PacketReport",
    "Principal",
    "ProvinceSource",
    "Quality",
    "QualityIssue",
    "Severity",
    "Subject",
    "TextSource",
    "Verdict",
]
