"""The document reader: bytes → pages → upright images → text lines → fields, never raising."""

import logging
import time
from dataclasses import dataclass, field, replace

from pipeline import fields
from pipeline.checks.documents import misses_essential_field
from pipeline.decode import DecodedPage, decode_document
from pipeline.errors import DocumentError, EngineError, LimitExceededError
from pipeline.field_lines import FieldLinesByName, field_lines
from pipeline.fields.authority import SealText
from pipeline.images.normalize import NormalizedPage, make_preview, normalize, with_resolution_issue
from pipeline.images.previews import PagePreview
from pipeline.images.quality import document_quality
from pipeline.ocr.base import LayoutEngine, OcrEngine, OcrLine
from pipeline.reading import PageReading, ReadingPolicy, read_faint, read_the_rest
from pipeline.seal_reading import needs_seal, read_seal_authority
from pipeline.settings import Settings
from pipeline.stages import count, stage
from schemas import DocumentKind, DocumentResult, DocumentStatus, Quality, TextSource

log = logging.getLogger(__name__)
MAX_INTERNAL_MESSAGE = 200  # characters of an unexpected exception's message in the report
SKIMMED, READ_THE_REST = "skimmed", "read the rest"  # how a document with boxes left unread ended
READ_FAINT = "read faint lines"  # documents whose faint boxes were read for a missing field


@dataclass(frozen=True)
class DocumentReading:
    """One document's result, the preview of each page for the reviewer's page, and the
    recognized lines of its compared fields (their CTC matrices: for the packet's checks only)."""

    result: DocumentResult
    previews: list[PagePreview]
    field_lines: FieldLinesByName = field(default_factory=dict)


class Deadline:
    """The wall-time budget of one document, checked between stages."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    @property
    def elapsed(self) -> float:
        """Seconds since the document was started."""
        return time.monotonic() - self.started

    def check(self, stage: str) -> None:
        """LimitExceededError when the budget is spent."""
        if self.elapsed > self.seconds:
            raise LimitExceededError(
                f"reading the document took longer than {self.seconds:g} s (stopped after {stage})"
            )


def read_document(
    data: bytes,
    file_name: str,
    declared: DocumentKind | None,
    engine: OcrEngine,
    settings: Settings,
    policy: ReadingPolicy,
) -> DocumentReading:
    """Read one uploaded file, its boxes as the policy says; a bad file, an engine crash or
    any unexpected error gives status UNREADABLE (never raises)."""
    deadline = Deadline(settings.document_seconds)
    readings: list[PageReading] = []
    try:
        with stage("decode"):
            pages = decode_document(data, file_name, settings)
        deadline.check("decoding")
        for page in pages:
            readings.append(read_page(page, engine, settings, policy))
            deadline.check(f"page {page.index + 1}")
        result = interpret(readings, file_name, declared)
        layout = engine.layout()
        skimmed = any(reading.unread_boxes for reading in readings)
        if layout is not None and needs_the_rest(policy, result, readings):
            readings = [read_the_rest(reading, layout) for reading in readings]
            result = interpret(readings, file_name, declared)
            count(READ_THE_REST)
        elif skimmed:
            count(SKIMMED)
        if layout is not None and needs_faint(result, readings):
            with stage("faint lines"):
                readings = [read_faint(reading, layout) for reading in readings]
            result = interpret(readings, file_name, declared)
            count(READ_FAINT)
        if layout is not None and needs_seal(result):
            with stage("seal"):
                result = with_seal_authority(result, readings, layout, declared)
        deadline.check("field extraction")
    except (DocumentError, EngineError) as error:
        result = unreadable(file_name, declared, error.message, readings)
    except Exception as error:  # last resort: a bug or an engine's own error fails one document
        log.exception("internal error reading %s", file_name)
        result = unreadable(file_name, declared, internal_error_reason(error), readings)
    result.seconds = round(deadline.elapsed, 3)
    previews = [make_preview(reading.page.image) for reading in readings]
    lines = field_lines([reading.lines for reading in readings], result.evidence)
    return DocumentReading(result, previews, lines)


def with_seal_authority(
    result: DocumentResult,
    readings: list[PageReading],
    layout: LayoutEngine,
    declared: DocumentKind | None,
) -> DocumentResult:
    """The license read again with the authority along its seal, when a seal names one."""
    seal = read_seal_authority(result, readings, layout)
    if seal is None:
        return result
    return interpret(readings, result.file, declared, seal)


def internal_error_reason(error: Exception) -> str:
    """The reviewer's reason for an unexpected exception: its type and (short) message."""
    module, name = type(error).__module__, type(error).__qualname__
    kind = name if module == "builtins" else f"{module}.{name}"
    message = " ".join(str(error).split())
    if len(message) > MAX_INTERNAL_MESSAGE:
        message = message[:MAX_INTERNAL_MESSAGE] + "…"
    detail = f"{kind}: {message}" if message else kind
    return f"internal error while reading the document ({detail}); the details are in the log"


def read_page(
    page: DecodedPage, engine: OcrEngine, settings: Settings, policy: ReadingPolicy
) -> PageReading:
    """The page's text layer as is, else the page normalized and read by the engine: box by
    box as the policy says where the engine exposes its stages, else whole."""
    if not page.needs_ocr:
        return PageReading(text_layer_page(page), page.text_lines, TextSource.TEXT_LAYER)
    normalized = with_file_geometry(normalize(page.image, engine, settings), page)
    layout = engine.layout()
    if layout is None or normalized.text_boxes is None:
        return PageReading(normalized, engine.read(normalized.image), TextSource.OCR)
    return policy.read_page(normalized, layout)


def needs_the_rest(
    policy: ReadingPolicy, result: DocumentResult, readings: list[PageReading]
) -> bool:
    """Whether boxes were left unread and the policy wants them read for this result."""
    return any(reading.unread_boxes for reading in readings) and policy.needs_the_rest(
        result, readings
    )


def needs_faint(result: DocumentResult, readings: list[PageReading]) -> bool:
    """Whether a page has faint boxes and the document misses a field the checks need (or
    is of no known kind: its title may be among them)."""
    if not any(reading.page.faint_boxes for reading in readings):
        return False
    return result.detected_kind is None or misses_essential_field(result)


def with_file_geometry(normalized: NormalizedPage, page: DecodedPage) -> NormalizedPage:
    """The quality relative to the file as stored: its size and scale, EXIF turns counted in."""
    quality = normalized.quality
    width, height = page.original_size
    decoded_share = max(page.image.shape[:2]) / max(width, height, 1)  # < 1 if decoded reduced
    update = {
        "width": width or quality.width,
        "height": height or quality.height,
        "rotation_applied": (quality.rotation_applied + page.exif_rotation) % 360,
        "scale": quality.scale * decoded_share if width and height else quality.scale,
    }
    return replace(normalized, quality=quality.model_copy(update=update))


def text_layer_page(page: DecodedPage) -> NormalizedPage:
    """A text-layer page as rendered: nothing to straighten or measure."""
    height, width = page.image.shape[:2]
    quality = Quality(width=width, height=height, page_width=width, page_height=height)
    return NormalizedPage(page.image, quality)


def interpret(
    readings: list[PageReading],
    file_name: str,
    declared: DocumentKind | None,
    seal: SealText | None = None,
) -> DocumentResult:
    """The fields of the pages' lines; DocumentError when there is no text at all."""
    if not any(line.text.strip() for reading in readings for line in reading.lines):
        raise DocumentError("no text found (a blank, photographed-away or unreadable image?)")
    with stage("fields"):
        extraction = fields.extract([reading.lines for reading in readings], declared, seal)
    kind = extraction.kinds[0] if extraction.kinds else None
    return DocumentResult(
        file=file_name,
        declared_kind=declared,
        detected_kind=kind,
        contains=extraction.kinds,
        pages=len(readings),
        text_source=main_source(readings),
        fields=extraction.fields,
        evidence=extraction.evidence,
        unread=extraction.unread,
        province_sources=extraction.province_sources,
        quality=document_quality(readings_quality(readings, kind), all_lines(readings)),
    )


def unreadable(
    file_name: str, declared: DocumentKind | None, reason: str, readings: list[PageReading]
) -> DocumentResult:
    """The result of a document that could not be read, with the reason."""
    quality = document_quality(readings_quality(readings, None), all_lines(readings))
    return DocumentResult(
        file=file_name,
        declared_kind=declared,
        status=DocumentStatus.UNREADABLE,
        error=reason,
        pages=len(readings),
        quality=quality,
    )


def readings_quality(readings: list[PageReading], kind: DocumentKind | None) -> list[Quality]:
    """Each page's quality, the resolution of OCR'd pages judged for the detected kind."""
    return [
        with_resolution_issue(reading.page.quality, kind)
        if reading.source is TextSource.OCR
        else reading.page.quality
        for reading in readings
    ]


def all_lines(readings: list[PageReading]) -> list[OcrLine]:
    """Every line of every page."""
    return [line for reading in readings for line in reading.lines]


def main_source(readings: list[PageReading]) -> TextSource:
    """Where most of the document's lines came from."""
    from_text_layer = sum(len(r.lines) for r in readings if r.source is TextSource.TEXT_LAYER)
    from_ocr = sum(len(r.lines) for r in readings if r.source is TextSource.OCR)
    return TextSource.TEXT_LAYER if from_text_layer > from_ocr else TextSource.OCR
