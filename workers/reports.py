"""Reports in the bucket: report.json, report.html and its page images, with metadata.

reports/<id>/pages/d<document>-p<page>.jpg   each page image once
reports/<id>/report.html                     refers to them by relative path
reports/<id>/report.json                     written last: marks the report complete
"""

from typing import TYPE_CHECKING

from pipeline.errors import FilingCheckError
from schemas import EngineInfo, PacketReport
from workers.layout import report_file_key, report_html_key, report_key
from workers.storage import ObjectInfo, Storage

if TYPE_CHECKING:
    from pipeline.packet import CheckOutcome

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
MAX_REPORT_BYTES = 64 * 1024 * 1024

# Object metadata keys (stored as x-amz-meta-<key>).
PIPELINE_VERSION = "pipeline-version"
OCR_ENGINE = "ocr-engine"
OCR_MODEL = "ocr-model"
CHECKED_AT = "checked-at"
VERDICT = "verdict"


def engine_label(engine: EngineInfo) -> str:
    """The engine's name and version as one metadata value."""
    return f"{engine.name} {engine.version}"


def report_metadata(report: PacketReport) -> dict[str, str]:
    """What the report object's metadata says about how it was made."""
    return {
        PIPELINE_VERSION: report.pipeline_version,
        OCR_ENGINE: engine_label(report.engine),
        OCR_MODEL: _ascii(report.engine.model),
        CHECKED_AT: report.checked_at.isoformat(),
        VERDICT: report.verdict.value,
    }


def write_page(storage: Storage, packet_id: str, outcome: "CheckOutcome") -> None:
    """Put the page images, then report.html referring to them by relative path."""
    from pipeline.report.html import IMAGE_TYPE, page_images, render_packet_page

    for relative, jpeg in page_images(outcome.report, outcome.previews):
        storage.put(report_file_key(packet_id, relative), jpeg, IMAGE_TYPE)
    page = render_packet_page(outcome.report, outcome.previews, inline_images=False)
    storage.put(
        report_html_key(packet_id), page.encode(), HTML_TYPE, report_metadata(outcome.report)
    )


def write_report(storage: Storage, packet_id: str, outcome: "CheckOutcome") -> None:
    """Put the page (images first), then report.json, so report.json marks completion."""
    metadata = report_metadata(outcome.report)
    write_page(storage, packet_id, outcome)
    body = outcome.report.model_dump_json(indent=2).encode()
    storage.put(report_key(packet_id), body, JSON_TYPE, metadata)


def read_report(storage: Storage, packet_id: str) -> PacketReport:
    """The stored report of a packet (NotFoundError when there is none)."""
    raw = storage.get(report_key(packet_id), MAX_REPORT_BYTES)
    try:
        return PacketReport.model_validate_json(raw)
    except ValueError as e:
        raise FilingCheckError(f"{report_key(packet_id)} is not a valid report: {e}") from e


def made_by(info: ObjectInfo, pipeline_version: str, engine: EngineInfo) -> bool:
    """Whether the report's metadata names this pipeline version, engine and model."""
    metadata = {key.lower(): value for key, value in info.metadata.items()}
    return (
        metadata.get(PIPELINE_VERSION) == pipeline_version
        and metadata.get(OCR_ENGINE) == engine_label(engine)
        and metadata.get(OCR_MODEL) == _ascii(engine.model)
    )


def _ascii(text: str) -> str:
    """S3 metadata carries ASCII only; anything else becomes '?'."""
    return "".join(char if char.isascii() and char.isprintable() else "?" for char in text)
