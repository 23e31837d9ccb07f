"""Cross-checks: the form against the documents under the filing rules (docs/RULES.md)."""

from datetime import date

from pipeline.checks.documents import document_flags
from pipeline.checks.form_fields import form_flags
from pipeline.checks.identity import identity_flags
from pipeline.checks.region import expected_province, region_flags, source_disagreements
from pipeline.checks.roles import assign_roles, kind_mismatches, missing_documents
from pipeline.wording import SEVERITY_ORDER
from schemas import DocumentKind, DocumentResult, FilingForm, Flag

__all__ = ["cross_check", "expected_province_of", "sort_flags"]

def cross_check(
    form: FilingForm,
    documents: list[DocumentResult],
    declared: dict[str, list[DocumentKind]],
    today: date,
) -> list[Flag]:
    """Every flag for one packet, most severe first."""
    roles = assign_roles(documents)
    flags = [
        *form_flags(form),
        *(flag for document in documents for flag in document_flags(document, today)),
        *missing_documents(form, documents, declared),
        *kind_mismatches(documents, declared),
        *identity_flags(form, roles),
        *region_flags(form, roles),
        *source_disagreements(roles),
    ]
    return sort_flags(flags)


def expected_province_of(form: FilingForm, documents: list[DocumentResult]) -> str | None:
    """The province the documents allow for this filing."""
    return expected_province(form, assign_roles(documents))


def sort_flags(flags: list[Flag]) -> list[Flag]:
    """Errors first, then warnings, then information; stable within a severity."""
    return sorted(flags, key=lambda flag: SEVERITY_ORDER.index(flag.severity))
