"""Image normalization: scale, flatten a photographed document, turn it upright, measure it."""

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.decode.pages import PREVIEW_LONG_SIDE
from pipeline.errors import DocumentError
from pipeline.images.orientation import rotate_image, upright_rotation
from pipeline.images.perspective import find_document_quad, warp_flat
from pipeline.images.previews import PagePreview
from pipeline.images.quality import capture_issues, measure, too_small
from pipeline.ocr.base import DetectedText, LayoutEngine, OcrEngine
from pipeline.settings import Settings
from pipeline.stages import stage
from schemas import Box, DocumentKind, Quality, QualityIssue

PREVIEW_JPEG_QUALITY = 80


@dataclass(frozen=True)
class NormalizedPage:
    """A page in evidence space (upright, flat, ≤ max_side) with its capture quality."""

    image: np.ndarray
    quality: Quality
    text_boxes: list[Box] | None = None  # detector boxes in `image`, when the engine has a detector
    faint_boxes: tuple[Box, ...] = ()  # boxes kept only by the polygon score (ocr/faint.py)

    @property
    def document_long_side(self) -> float:
        """The document's long side in the pixels it was captured with."""
        return max(self.quality.page_width, self.quality.page_height) / self.quality.scale


def normalize(image: np.ndarray, engine: OcrEngine, settings: Settings) -> NormalizedPage:
    """Scale down, perspective-correct, rotate upright and measure one page image."""
    with stage("normalize"):
        return _normalize(image, engine, settings)


def _normalize(image: np.ndarray, engine: OcrEngine, settings: Settings) -> NormalizedPage:
    height, width = image.shape[:2]
    scale = min(1.0, settings.max_side / max(height, width))
    page = shrink(image, scale)
    corners = find_document_quad(page)
    if corners is not None:
        page = warp_flat(page, corners)
    rotation, detected = 0, None
    layout = engine.layout()
    if layout is not None:
        rotation, page, detected = orient(page, layout)
    measures = measure(page)
    quality = Quality(
        width=width,
        height=height,
        page_width=page.shape[1],
        page_height=page.shape[0],
        rotation_applied=rotation,
        perspective_corrected=corners is not None,
        scale=scale,
        blur=measures.blur,
        glare=min(measures.glare, 1.0),
        issues=capture_issues(measures),
    )
    boxes = detected.boxes if detected else None
    faint = tuple(detected.faint) if detected else ()
    return NormalizedPage(page, with_resolution_issue(quality, None), boxes, faint)


def shrink(image: np.ndarray, scale: float) -> np.ndarray:
    """The image resized by scale (≤ 1); the same array when scale is 1."""
    if scale >= 1.0:
        return image
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def orient(page: np.ndarray, engine: LayoutEngine) -> tuple[int, np.ndarray, DetectedText]:
    """The clockwise rotation that makes the page upright, the turned page and its text boxes.

    An upright page keeps the boxes of the orientation check. A turned page is detected
    again: the detector's boxes around vertical or upside-down lines read worse."""
    detected = engine.detect_text(page)
    rotation = upright_rotation(page, detected.boxes, engine)
    if rotation == 0:
        return 0, page, detected
    upright = rotate_image(page, rotation)
    return rotation, upright, engine.detect_text(upright)


def with_resolution_issue(quality: Quality, kind: DocumentKind | None) -> Quality:
    """The quality with LOW_RESOLUTION added or removed for the document's kind."""
    long_side = max(quality.page_width, quality.page_height) / quality.scale
    issues: list[QualityIssue] = [
        issue for issue in quality.issues if issue is not QualityIssue.LOW_RESOLUTION
    ]
    if too_small(long_side, kind):
        issues.append(QualityIssue.LOW_RESOLUTION)
    return quality.model_copy(update={"issues": issues})


def make_preview(image: np.ndarray) -> PagePreview:
    """A JPEG of the page with its long side at most PREVIEW_LONG_SIDE px."""
    scale = min(1.0, PREVIEW_LONG_SIDE / max(image.shape[:2]))
    small = shrink(image, scale)
    ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, PREVIEW_JPEG_QUALITY])
    if not ok:
        raise DocumentError("the page preview could not be encoded as JPEG")
    return PagePreview(encoded.tobytes(), small.shape[1], small.shape[0], scale)
