"""The filing province (备案地域) against the documents, and each document's own sources."""

from pipeline.checks.flags import make_flag
from pipeline.checks.roles import Roles
from pipeline.wording import PROVINCE_SOURCE_LABELS
from schemas import (
    ComparedField,
    ComparisonOutcome,
    DocumentResult,
    FieldComparison,
    FilingForm,
    FilingType,
    Flag,
    FlagCode,
    ProvinceSource,
    Severity,
)

# Sources that say where a certificate was first issued, not where its holder is now, or
# that a name opens with: a fallback when nothing else shows the province, never a
# disagreement of their own, and a mismatch resting on them alone is only a warning.
INFORMATIONAL_SOURCES = {ProvinceSource.ID_NUMBER, ProvinceSource.NAME}


def expected_province(form: FilingForm, roles: Roles) -> str | None:
    """The province the documents allow: the license's, or the ID card's."""
    if form.filing_type is FilingType.ORGANIZATION:
        return roles.license.fields.province if roles.license else None
    for document in (roles.id_front, roles.id_back):
        if document and document.fields.province:
            return document.fields.province
    return None


def region_checks(form: FilingForm, roles: Roles) -> tuple[list[Flag], list[FieldComparison]]:
    """REGION_MISMATCH (an error for organizations, a warning for persons) and the province
    comparison behind it."""
    is_org = form.filing_type is FilingType.ORGANIZATION
    document = roles.license if is_org else (roles.id_front or roles.id_back)
    if document is None:
        return [], []
    province = expected_province(form, roles)
    flags = region_flags(form, province, document, is_org)
    record = FieldComparison(
        field=ComparedField.PROVINCE,
        document=document.file,
        document_field="province",
        form_value=form.province,
        document_value=province,
        outcome=(
            ComparisonOutcome.UNREAD
            if province is None
            else ComparisonOutcome.CONTRADICTED
            if flags
            else ComparisonOutcome.SUPPORTED
        ),
        severity=flags[0].severity if flags else None,
    )
    return flags, [record]


def region_flags(
    form: FilingForm, province: str | None, document: DocumentResult, is_org: bool
) -> list[Flag]:
    """REGION_MISMATCH when the documents' province is not the form's: an error for
    organizations (a warning when only the license's name shows a province), a warning for
    persons."""
    if province is None or province == form.province:
        return []
    firm = is_org and not _informational_only(document)
    if firm:
        message = (
            f"备案地域与营业执照登记地不一致：表单选择「{form.province}」，执照登记于「{province}」；"
            "单位备案须在证件登记地所在省份备案"
        )
    elif is_org:
        message = (
            f"备案地域与营业执照名称中的行政区划不一致：表单选择「{form.province}」，名称开头为"
            f"「{province}」的地名；执照的登记机关、住所和号码均未读出，请人工核实登记地"
        )
    else:
        message = (
            f"备案地域与身份证所在地不一致：表单选择「{form.province}」，身份证为「{province}」；"
            "跨省备案通常须提供居住证，请人工核实"
        )
    return [
        make_flag(
            FlagCode.REGION_MISMATCH,
            Severity.ERROR if firm else Severity.WARNING,
            message,
            field="province",
            document_field="province",
            document=document.file,
            form_value=form.province,
            document_value=province,
        )
    ]


def _informational_only(document: DocumentResult) -> bool:
    """Whether every province source the document gave is informational (the name only)."""
    return all(source in INFORMATIONAL_SOURCES for source in document.province_sources)


def source_disagreements(roles: Roles) -> list[Flag]:
    """SOURCE_DISAGREEMENT within a document, and between the two ID card sides."""
    flags = [
        flag
        for document in (roles.license, roles.id_front, roles.id_back)
        if document is not None
        for flag in _within(document)
    ]
    front, back = roles.id_front, roles.id_back
    if front and back and front is not back:
        address = front.province_sources.get(ProvinceSource.ADDRESS)
        authority = back.province_sources.get(ProvinceSource.AUTHORITY)
        if address and authority and address != authority:
            flags.append(
                make_flag(
                    FlagCode.SOURCE_DISAGREEMENT,
                    Severity.WARNING,
                    f"身份证住址在「{address}」，签发机关在「{authority}」，两者不一致",
                    field="province",
                    document_field="province",
                    document=back.file,
                    document_value=f"住址:{address} / 签发机关:{authority}",
                )
            )
    return flags


def _within(document: DocumentResult) -> list[Flag]:
    sources = {
        name: province
        for name, province in document.province_sources.items()
        if name not in INFORMATIONAL_SOURCES
    }
    if len(set(sources.values())) <= 1:
        return []
    listing = "；".join(
        f"{PROVINCE_SOURCE_LABELS[name]}：{value}" for name, value in sources.items()
    )
    return [
        make_flag(
            FlagCode.SOURCE_DISAGREEMENT,
            Severity.WARNING,
            f"证件自身的地域信息不一致（{listing}），"
            f"已按{_chosen(document)}判断备案地域，请人工核实",
            field="province",
            document_field="province",
            document=document.file,
            document_value=" / ".join(f"{name}:{value}" for name, value in sources.items()),
        )
    ]


def _chosen(document: DocumentResult) -> str:
    for name, province in document.province_sources.items():
        if province == document.fields.province:
            return PROVINCE_SOURCE_LABELS[name]
    return "证件"
