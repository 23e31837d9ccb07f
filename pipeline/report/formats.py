"""Writing reports: JSON, a short text summary, and (when available) the reviewer's page."""

from pathlib import Path

from pipeline.images.previews import PagePreview
from pipeline.wording import VERDICT_LABELS
from schemas import DocumentResult, PacketReport

TEXT_FIELDS = ("name", "number", "province", "issuing_authority", "valid_to")


def report_json(report: PacketReport) -> str:
    """The report as indented JSON, Chinese kept readable."""
    return report.model_dump_json(indent=2) + "\n"


def report_text(report: PacketReport) -> str:
    """A terminal summary: verdict, flags, and the key fields of each document."""
    lines = [
        f"packet {report.packet_id}: {report.verdict.value} ({VERDICT_LABELS[report.verdict]})"
    ]
    for flag in report.flags:
        where = f" [{flag.document}]" if flag.document else ""
        lines.append(f"  {flag.severity.value:<7} {flag.code.value}{where}: {flag.message}")
    for document in report.documents:
        lines.append(f"  document {document.file}: {_describe(document)}")
    engine = report.engine
    lines.append(f"  checked in {report.seconds:.2f} s by {engine.name} {engine.model}")
    return "\n".join(lines) + "\n"


def report_html(report: PacketReport, previews: dict[str, list[PagePreview]]) -> str:
    """The self-contained reviewer page."""
    from pipeline.report.html import render_packet_page

    return render_packet_page(report, previews)


def write_text(path: Path, text: str) -> None:
    """Write a whole file at once (a partial file is never left behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _describe(document: DocumentResult) -> str:
    if document.error:
        return f"{document.status.value} — {document.error}"
    kind = document.detected_kind.value if document.detected_kind else "unknown kind"
    values = [
        f"{field}={getattr(document.fields, field)}"
        for field in TEXT_FIELDS
        if getattr(document.fields, field)
    ]
    return f"{kind}; " + ", ".join(values)
