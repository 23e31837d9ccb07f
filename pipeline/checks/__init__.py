"""Cross-checks: the form against the documents under the filing rules (docs/RULES.md)."""

from datetime import date

from pipeline.checks.documents import document_flags
from pipeline.checks.form_fields import form_flags
from pipeline.checks.identity import LinesByFile, identity_checks
from pipeline.checks.region import expected_province, region_checks, source_disagreements
from pipeline.checks.roles import assign_roles, kind_mismatches, missing_documents
from pipeline.wording import SEVERITY_ORDER
from schemas import DocumentKind, DocumentResult, FieldComparison, FilingForm, Flag

__all__ = ["check_packet_rules", "cross_check", "expected_province_of", "sort_flags"]


def cross_check(
    form: FilingForm,
    documents: list[DocumentResult],
    declared: dict[str, list[DocumentKind]],
    today: date,
) -> list[Flag]:
    """Every flag for one packet, most severe first."""
    return check_packet_rules(form, documents, declared, today)[0]


def check_packet_rules(
    form: FilingForm,
    documents: list[DocumentResult],
    declared: dict[str, list[DocumentKind]],
    today: date,
    lines: LinesByFile | None = None,
) -> tuple[list[Flag], list[FieldComparison]]:
    """Every flag for one packet (most severe first) and every form value compared (scored
    against the recognized lines of the documents' fields where `lines` gives them)."""
    roles = assign_roles(documents)
    identity, identity_found = identity_checks(form, roles, lines)
    region, region_found = region_checks(form, roles)
    flags = [
        *form_flags(form),
        *(flag for document in documents for flag in document_flags(document, today)),
        *missing_documents(form, documents, declared),
        *kind_mismatches(documents, declared),
        *identity,
        *region,
        *source_disagreements(roles),
    ]
    return sort_flags(flags), [*identity_found, *region_found]


def expected_province_of(form: FilingForm, documents: list[DocumentResult]) -> str | None:
    """The province the documents allow for this filing."""
    return expected_province(form, assign_roles(documents))


def sort_flags(flags: list[Flag]) -> list[Flag]:
    """Errors first, then warnings, then information; stable within a severity."""
    return sorted(flags, key=lambda flag: SEVERITY_ORDER.index(flag.severity))
