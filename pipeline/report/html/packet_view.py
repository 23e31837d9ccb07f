"""What the packet page shows: verdict, flags by severity, form summary, documents."""

from dataclasses import dataclass

from pipeline.images.previews import PagePreview
from pipeline.report.html.agreement import STATE_LABELS, FieldState, document_kind
from pipeline.report.html.crops import DoubtView, doubt_views
from pipeline.report.html.document_view import (
    DocumentView,
    box_anchor,
    build_document_view,
    document_anchor,
    row_anchor,
    shown_fields,
)
from pipeline.wording import (
    FILING_TYPE_LABELS,
    FLAG_LABELS,
    FORM_FIELD_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    VERDICT_LABELS,
    field_label,
)
from schemas import DocumentResult, FieldComparison, FilingForm, FilingType, Flag, PacketReport


@dataclass(frozen=True)
class FlagView:
    """One flag as a row: severity, Chinese message, both values, a link to the evidence."""

    severity: str
    severity_label: str
    code: str
    code_label: str
    message: str
    form_value: str | None
    document_value: str | None
    confidence: float | None
    where: str | None
    href: str | None


@dataclass(frozen=True)
class ComparisonRow:
    """One form value held against a document field, as the checks found it."""

    outcome: str
    outcome_label: str
    field_label: str
    form_value: str
    document_value: str
    document: str
    confidence: str
    margin: str  # log P(form value) − log P(best reading), nats, or — when not scored
    doubts: list[DoubtView]


@dataclass(frozen=True)
class PacketView:
    """The whole packet page."""

    packet_id: str
    verdict: str
    verdict_label: str
    severity_counts: list[tuple[str, str, int]]
    facts: list[tuple[str, str]]
    form_rows: list[tuple[str, str]]
    form_missing: bool
    flags: list[FlagView]
    comparisons: list[ComparisonRow]
    documents: list[DocumentView]
    legend: list[tuple[str, str]]


def build_packet_view(
    report: PacketReport, previews: dict[str, list[PagePreview]], inline_images: bool = True
) -> PacketView:
    """The view of one report; previews are keyed by document file name."""
    documents = [
        build_document_view(
            i, doc, previews.get(doc.file, []), report.flags, report.comparisons, inline_images
        )
        for i, doc in enumerate(report.documents)
    ]
    flags = sorted(report.flags, key=lambda f: SEVERITY_ORDER.index(f.severity))
    return PacketView(
        packet_id=report.packet_id,
        verdict=report.verdict.value,
        verdict_label=VERDICT_LABELS[report.verdict],
        severity_counts=[
            (s.value, SEVERITY_LABELS[s], sum(f.severity == s for f in flags))
            for s in SEVERITY_ORDER
        ],
        facts=_facts(report),
        form_rows=_form_rows(report.form),
        form_missing=report.form is None,
        flags=[_flag_view(flag, report.documents) for flag in flags],
        comparisons=[_comparison_row(c, previews) for c in report.comparisons],
        documents=documents,
        legend=[(state.value, STATE_LABELS[state]) for state in FieldState],
    )


def _comparison_row(
    comparison: FieldComparison, previews: dict[str, list[PagePreview]]
) -> ComparisonRow:
    """The table row of one comparison, exactly as report.comparisons has it, with crops of
    the characters in doubt."""
    confidence = comparison.confidence
    margin = comparison.margin
    return ComparisonRow(
        outcome=comparison.outcome.value,
        outcome_label=OUTCOME_LABELS[comparison.outcome],
        field_label=FORM_FIELD_LABELS.get(comparison.field, comparison.field),
        form_value=comparison.form_value,
        document_value=comparison.document_value or "—",
        document=comparison.document or "—",
        confidence=f"{confidence:.2f}" if confidence is not None else "—",
        margin=f"{margin:.1f}" if margin is not None else "—",
        doubts=doubt_views(comparison, previews),
    )


def _flag_view(flag: Flag, documents: list[DocumentResult]) -> FlagView:
    """A flag with the label of what it concerns and a link to its evidence."""
    index = next((i for i, d in enumerate(documents) if d.file == flag.document), None)
    field = flag.document_field
    where = flag.document
    href: str | None = None
    if index is not None:
        document = documents[index]
        href = f"#{document_anchor(index)}"
        if field is not None and field in shown_fields(document):
            where = f"{flag.document} · {field_label(field, document_kind(document))}"
            evidence = document.evidence.get(field)
            has_box = evidence is not None and evidence.box
            href = f"#{box_anchor(index, field) if has_box else row_anchor(index, field)}"
    elif flag.field is not None and where is None:
        where = f"表单 · {FORM_FIELD_LABELS.get(flag.field, flag.field)}"
    return FlagView(
        severity=flag.severity.value,
        severity_label=SEVERITY_LABELS[flag.severity],
        code=flag.code.value,
        code_label=FLAG_LABELS[flag.code],
        message=flag.message,
        form_value=flag.form_value,
        document_value=flag.document_value,
        confidence=flag.confidence,
        where=where,
        href=href,
    )


def _facts(report: PacketReport) -> list[tuple[str, str]]:
    """The packet's header line: type, province, time, engine."""
    filing_type = FILING_TYPE_LABELS[report.filing_type] if report.filing_type else "未知"
    return [
        ("备案类型", filing_type),
        ("表单备案地域", report.form_province or "—"),
        ("证件所属地域", report.expected_province or "—"),
        ("检查时间", report.checked_at.strftime("%Y-%m-%d %H:%M")),
        ("用时", f"{report.seconds:.1f} 秒"),
        ("识别引擎", f"{report.engine.name} {report.engine.version} · {report.engine.model}"),
        ("程序版本", report.pipeline_version),
    ]


def _form_rows(form: FilingForm | None) -> list[tuple[str, str]]:
    """The submitted form's values the checks compare against."""
    if form is None:
        return []
    subject_kind = "单位名称" if form.filing_type is FilingType.ORGANIZATION else "主体姓名"
    principal = form.principal
    return [
        (subject_kind, form.subject.name),
        ("主体证件号码", form.subject.certificate_number),
        ("负责人姓名", principal.name),
        ("负责人身份证号", principal.id_number),
        ("手机", principal.mobile),
        ("办公电话", principal.office_phone or "—"),
        ("电子邮箱", principal.email or "—"),
        ("备案地域", form.province),
    ]
