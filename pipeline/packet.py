"""Check one packet end to end: form → documents → cross-check → verdict → report."""

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pipeline import __version__
from pipeline.checks import check_packet_rules, expected_province_of
from pipeline.checks.flags import make_flag
from pipeline.checks.identity import LinesByFile
from pipeline.checks.verdict import decide
from pipeline.document import read_document, unreadable
from pipeline.errors import DocumentError, FormError, UnsafePathError
from pipeline.fields.skim import reading_policy
from pipeline.form import packet_id_of, parse_form
from pipeline.images.previews import PagePreview
from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings
from pipeline.sources import PacketSource
from pipeline.stages import stage
from schemas import (
    DocumentKind,
    DocumentResult,
    FilingForm,
    Flag,
    FlagCode,
    PacketReport,
    Severity,
)


@dataclass
class CheckOutcome:
    """The report and the page images the reviewer's page shows."""

    report: PacketReport
    previews: dict[str, list[PagePreview]] = field(default_factory=dict)


@dataclass
class _Readings:
    documents: list[DocumentResult] = field(default_factory=list)
    previews: dict[str, list[PagePreview]] = field(default_factory=dict)
    field_lines: LinesByFile = field(default_factory=dict)  # dropped with the packet
    flags: list[Flag] = field(default_factory=list)
    bytes_read: int = 0


def check_packet(
    source: PacketSource,
    engine: OcrEngine,
    settings: Settings,
    packet_id_hint: str | None = None,
    today: date | None = None,
) -> CheckOutcome:
    """The pre-check of one packet; FormError only when the form names no usable packet id."""
    started = time.perf_counter()
    try:
        raw = source.read_form(settings.max_form_bytes)
    except FormError as error:
        return _form_invalid(error, packet_id_hint, engine, started)
    try:
        form = parse_form(raw)
    except FormError as error:
        return _form_invalid(error, packet_id_of(raw) or packet_id_hint, engine, started)
    readings = _read_documents(source, form, engine, settings)
    declared = declared_kinds(form)
    with stage("checks"):
        flags, comparisons = check_packet_rules(
            form, readings.documents, declared, today or date.today(), readings.field_lines
        )
    report = PacketReport(
        packet_id=form.packet_id,
        verdict=decide(readings.flags + flags),
        filing_type=form.filing_type,
        form_province=form.province,
        expected_province=expected_province_of(form, readings.documents),
        form=form,
        documents=readings.documents,
        flags=readings.flags + flags,
        comparisons=comparisons,
        pipeline_version=__version__,
        engine=engine.info,
        checked_at=datetime.now(UTC),
        seconds=round(time.perf_counter() - started, 3),
    )
    return CheckOutcome(report=report, previews=readings.previews)


def declared_kinds(form: FilingForm) -> dict[str, list[DocumentKind]]:
    """Each distinct file of the form with the kinds it was declared as, in form order."""
    declared: dict[str, list[DocumentKind]] = {}
    for ref in form.documents:
        kinds = declared.setdefault(ref.file, [])
        if ref.kind not in kinds:
            kinds.append(ref.kind)
    return declared


def _read_documents(
    source: PacketSource, form: FilingForm, engine: OcrEngine, settings: Settings
) -> _Readings:
    readings = _Readings()
    files = list(declared_kinds(form).items())
    if len(files) > settings.max_documents:
        readings.flags.append(_too_many_documents(len(files), settings.max_documents))
        files = files[: settings.max_documents]
    for name, kinds in files:
        _read_one(source, name, kinds[0], engine, settings, readings)
    return readings


def _read_one(
    source: PacketSource,
    name: str,
    declared: DocumentKind,
    engine: OcrEngine,
    settings: Settings,
    readings: _Readings,
) -> None:
    budget = settings.max_packet_bytes - readings.bytes_read
    try:
        data = source.read_file(name, min(settings.max_file_bytes, max(budget, 0)))
    except UnsafePathError as error:
        readings.flags.append(_unsafe_file(name, error))
        return
    except DocumentError as error:
        reason = error.message
        if budget < settings.max_file_bytes:
            reason += f"（整个材料包的上限为 {settings.max_packet_bytes} 字节）"
        readings.documents.append(unreadable(name, declared, reason, []))
        return
    readings.bytes_read += len(data)
    reading = read_document(data, name, declared, engine, settings, reading_policy(settings))
    readings.documents.append(reading.result)
    readings.previews[name] = reading.previews
    readings.field_lines[name] = reading.field_lines


def _unsafe_file(name: str, error: UnsafePathError) -> Flag:
    return make_flag(
        FlagCode.FORM_INVALID,
        Severity.ERROR,
        f"表单中的文件路径不安全，未读取：{error.message}",
        field="documents.file",
        form_value=name,
    )


def _too_many_documents(count: int, limit: int) -> Flag:
    return make_flag(
        FlagCode.FORM_INVALID,
        Severity.ERROR,
        f"表单列出 {count} 个文件，超过上限 {limit} 个；只核对前 {limit} 个",
        field="documents",
        form_value=str(count),
    )


def _form_invalid(
    error: FormError, packet_id: str | None, engine: OcrEngine, started: float
) -> CheckOutcome:
    if packet_id is None:
        raise error
    flag = make_flag(
        FlagCode.FORM_INVALID,
        Severity.ERROR,
        f"表单无效：{error.message}",
        field=",".join(error.fields) or "form.json",
    )
    report = PacketReport(
        packet_id=packet_id,
        verdict=decide([flag]),
        flags=[flag],
        pipeline_version=__version__,
        engine=engine.info,
        checked_at=datetime.now(UTC),
        seconds=round(time.perf_counter() - started, 3),
    )
    return CheckOutcome(report=report)
