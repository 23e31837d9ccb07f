"""What the packet page shows for one document: page images, evidence boxes, field table."""

from dataclasses import dataclass

from pipeline.images.previews import PagePreview
from pipeline.report.html.agreement import (
    FIELD_NAMES,
    STATE_LABELS,
    FieldState,
    document_kind,
    field_state,
    form_value,
)
from pipeline.report.html.overlay import BoxView, label_size_for, place_labels, scaled_box
from pipeline.report.html.page_images import data_uri, page_image_name
from pipeline.wording import (
    PROVINCE_SOURCE_LABELS,
    QUALITY_LABELS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    SOURCE_LABELS,
    field_label,
    kind_label,
)
from schemas import DocumentResult, FieldComparison, FieldName, Flag

LOW_CONFIDENCE = 0.90


@dataclass(frozen=True)
class PageView:
    """One page image (a data: URI or a path beside the page) with the boxes read on it."""

    number: int
    src: str
    width: int
    height: int
    aspect: str
    label_size: float
    boxes: list[BoxView]


@dataclass(frozen=True)
class FieldRow:
    """One line of the extracted-fields table."""

    anchor: str
    label: str
    value: str | None
    form_value: str | None
    confidence: float | None
    low_confidence: bool
    source: str | None
    note: str | None
    state: FieldState
    state_label: str
    box_anchor: str | None


@dataclass(frozen=True)
class DocumentView:
    """Everything shown for one document."""

    anchor: str
    file: str
    title: str
    declared: str
    detected: str
    kind_mismatch: bool
    contains: list[str]
    readable: bool
    error: str | None
    corrections: list[str]
    quality_warnings: list[str]
    measures: list[tuple[str, str]]
    pages: list[PageView]
    rows: list[FieldRow]
    province_sources: list[tuple[str, str]]
    flags: list[tuple[str, str, str]]
    worst: str | None


def document_anchor(index: int) -> str:
    """The element id of a document's section."""
    return f"doc-{index}"


def box_anchor(index: int, field: str) -> str:
    """The element id of a field's evidence box."""
    return f"ev-d{index}-{field}"


def row_anchor(index: int, field: str) -> str:
    """The element id of a field's row in the table."""
    return f"row-d{index}-{field}"


def shown_fields(document: DocumentResult) -> list[FieldName]:
    """Fields with a value, evidence or an unread reason, in schema order."""
    return [
        name
        for name in FIELD_NAMES
        if getattr(document.fields, name) is not None
        or name in document.evidence
        or name in document.unread
    ]


def build_document_view(
    index: int,
    document: DocumentResult,
    previews: list[PagePreview],
    flags: list[Flag],
    comparisons: list[FieldComparison],
    inline_images: bool = True,
) -> DocumentView:
    """The view of one document, its boxes scaled onto its previews.

    Images are data: URIs when inline_images, else paths relative to report.html.
    """
    states = {name: field_state(document, name, flags, comparisons) for name in FIELD_NAMES}
    kind = document_kind(document)
    pages = [
        _page_view(index, number, preview, document, states, inline_images)
        for number, preview in enumerate(previews)
    ]
    drawn = {box.anchor for page in pages for box in page.boxes}
    own_flags = sorted(
        (f for f in flags if f.document == document.file),
        key=lambda f: SEVERITY_ORDER.index(f.severity),
    )
    rows = [
        _field_row(index, name, document, states[name], comparisons, flags, drawn)
        for name in shown_fields(document)
    ]
    return DocumentView(
        anchor=document_anchor(index),
        file=document.file,
        title=kind_label(kind),
        declared=kind_label(document.declared_kind),
        detected=kind_label(document.detected_kind),
        kind_mismatch=document.detected_kind is not None
        and document.declared_kind is not None
        and document.detected_kind != document.declared_kind,
        contains=[kind_label(k) for k in document.contains],
        readable=document.status == "ok",
        error=document.error,
        corrections=_corrections(document),
        quality_warnings=[QUALITY_LABELS[issue] for issue in document.quality.issues],
        measures=_measures(document),
        pages=pages,
        rows=rows,
        province_sources=[
            (PROVINCE_SOURCE_LABELS.get(source, source), province)
            for source, province in document.province_sources.items()
        ],
        flags=[(f.severity.value, SEVERITY_LABELS[f.severity], f.message) for f in own_flags],
        worst=own_flags[0].severity.value if own_flags else None,
    )


def _page_view(
    index: int,
    number: int,
    preview: PagePreview,
    document: DocumentResult,
    states: dict[FieldName, FieldState],
    inline_images: bool,
) -> PageView:
    """One page's image and the boxes of the evidence read on it."""
    kind = document_kind(document)
    boxes = [
        scaled_box(
            box_anchor(index, name), evidence, preview.scale, states[name], field_label(name, kind)
        )
        for name, evidence in document.evidence.items()
        if evidence.page == number and evidence.box
    ]
    label_size = label_size_for(boxes)
    return PageView(
        number=number + 1,
        src=data_uri(preview.jpeg) if inline_images else page_image_name(index, number),
        width=preview.width,
        height=preview.height,
        aspect=f"{preview.width / max(preview.height, 1):.4f}",
        label_size=label_size,
        boxes=place_labels(boxes, label_size),
    )


def _field_row(
    index: int,
    name: FieldName,
    document: DocumentResult,
    state: FieldState,
    comparisons: list[FieldComparison],
    flags: list[Flag],
    drawn: set[str],
) -> FieldRow:
    """The table row of one field: value, form value, confidence, source."""
    evidence = document.evidence.get(name)
    confidence = evidence.confidence if evidence is not None else None
    anchor = box_anchor(index, name)
    note = document.unread.get(name) or (evidence.note if evidence is not None else None)
    return FieldRow(
        anchor=row_anchor(index, name),
        label=field_label(name, document_kind(document)),
        value=getattr(document.fields, name),
        form_value=form_value(comparisons, document, name, flags),
        confidence=confidence,
        low_confidence=confidence is not None and confidence < LOW_CONFIDENCE,
        source=SOURCE_LABELS[evidence.source] if evidence is not None else None,
        note=note,
        state=state,
        state_label=STATE_LABELS[state],
        box_anchor=anchor if anchor in drawn else None,
    )


def _corrections(document: DocumentResult) -> list[str]:
    """The rotation, crop and scaling applied before reading, in words."""
    quality = document.quality
    done: list[str] = []
    if quality.rotation_applied % 360:
        done.append(f"已自动旋转 {quality.rotation_applied % 360}°（顺时针）")
    if quality.perspective_corrected:
        done.append("已透视校正并裁切至证件边缘")
    if quality.width and quality.page_width and quality.scale != 1.0:
        done.append(
            f"已缩放：原图 {quality.width}×{quality.height} → {quality.page_width}×"
            f"{quality.page_height}"
        )
    return done


def _measures(document: DocumentResult) -> list[tuple[str, str]]:
    """Capture measures worth a glance, formatted for the reviewer."""
    quality = document.quality
    if document.status != "ok":
        return []
    return [
        ("原图尺寸", f"{quality.width}×{quality.height}"),
        ("清晰度（拉普拉斯方差）", f"{quality.blur:.0f}"),
        ("反光占比", f"{quality.glare:.1%}"),
        ("平均识别置信度", f"{quality.mean_confidence:.2f}"),
    ]
