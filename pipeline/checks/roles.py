"""Which document plays which part (license, ID front, ID back), and which are missing."""

from dataclasses import dataclass

from pipeline.checks.flags import make_flag
from pipeline.wording import FILING_TYPE_LABELS, KIND_LABELS
from schemas import (
    DocumentKind,
    DocumentResult,
    DocumentStatus,
    FilingForm,
    FilingType,
    Flag,
    FlagCode,
    Severity,
)

REQUIRED_KINDS = {
    FilingType.ORGANIZATION: [
        DocumentKind.BUSINESS_LICENSE,
        DocumentKind.ID_CARD_FRONT,
        DocumentKind.ID_CARD_BACK,
    ],
    FilingType.PERSONAL: [DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK],
}


@dataclass(frozen=True)
class Roles:
    """The readable document that shows each kind, if any."""

    license: DocumentResult | None
    id_front: DocumentResult | None
    id_back: DocumentResult | None


def assign_roles(documents: list[DocumentResult]) -> Roles:
    """The first readable document containing each kind (detected, not declared)."""
    readable = [doc for doc in documents if doc.status is DocumentStatus.OK]

    def first_with(kind: DocumentKind) -> DocumentResult | None:
        return next((doc for doc in readable if kind in doc.contains), None)

    return Roles(
        license=first_with(DocumentKind.BUSINESS_LICENSE),
        id_front=first_with(DocumentKind.ID_CARD_FRONT),
        id_back=first_with(DocumentKind.ID_CARD_BACK),
    )


def missing_documents(
    form: FilingForm, documents: list[DocumentResult], declared: dict[str, list[DocumentKind]]
) -> list[Flag]:
    """MISSING_DOCUMENT for each required kind that no document shows or was declared as."""
    shown = {kind for doc in documents if doc.status is DocumentStatus.OK for kind in doc.contains}
    unreadable_declared = {
        kind
        for doc in documents
        if doc.status is DocumentStatus.UNREADABLE
        for kind in declared.get(doc.file, [])
    }
    return [
        make_flag(
            FlagCode.MISSING_DOCUMENT,
            Severity.ERROR,
            f"缺少{KIND_LABELS[kind]}：{FILING_TYPE_LABELS[form.filing_type]}须上传{KIND_LABELS[kind]}",
            field=kind.value,
        )
        for kind in REQUIRED_KINDS[form.filing_type]
        if kind not in shown and kind not in unreadable_declared
    ]


def kind_mismatches(
    documents: list[DocumentResult], declared: dict[str, list[DocumentKind]]
) -> list[Flag]:
    """DOCUMENT_KIND_MISMATCH where no declared kind of a file is among the kinds detected."""
    flags = []
    for doc in documents:
        kinds = declared.get(doc.file, [])
        if doc.status is not DocumentStatus.OK or not doc.contains or not kinds:
            continue
        if not set(kinds) & set(doc.contains):
            detected = "、".join(KIND_LABELS[kind] for kind in doc.contains)
            flags.append(
                make_flag(
                    FlagCode.DOCUMENT_KIND_MISMATCH,
                    Severity.WARNING,
                    f"申报为{KIND_LABELS[kinds[0]]}，识别为{detected}；已按识别结果核对",
                    field="kind",
                    document=doc.file,
                    form_value=kinds[0].value,
                    document_value=doc.contains[0].value,
                )
            )
    return flags

