"""Capture quality measures of a normalized page: blur, glare, darkness, resolution."""

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.ocr.base import OcrLine
from schemas import DocumentKind, Quality, QualityIssue

MEASURE_LONG_SIDE = 1000  # larger pages are measured on a copy this size
BLUR_THRESHOLD = 30.0  # variance of the Laplacian below this: blurry (calibrated, see tests)
GLARE_LEVEL = 254  # gray level counted as blown out (clipped highlights)
GLARE_MARGIN = 25  # ... when at least this much brighter than the paper (white paper is no glare)
GLARE_THRESHOLD = 0.08  # share of clipped pixels: normal photos of white paper reach 0.05
DARK_THRESHOLD = 70.0  # median gray level below this: too dark
MIN_LONG_SIDE = {  # document long side in captured pixels below which text is too small to read
    DocumentKind.BUSINESS_LICENSE: 1000,
    DocumentKind.ID_CARD_FRONT: 600,
    DocumentKind.ID_CARD_BACK: 600,
}
DEFAULT_MIN_LONG_SIDE = 600
LOW_CONFIDENCE_THRESHOLD = 0.85  # mean line confidence below this: the reading is doubtful


@dataclass(frozen=True)
class CaptureMeasures:
    """The raw measures of one page."""

    blur: float
    glare: float
    brightness: float


def measure(image: np.ndarray) -> CaptureMeasures:
    """Blur (variance of the Laplacian), glare share and median brightness of a BGR page."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    factor = MEASURE_LONG_SIDE / max(gray.shape)
    # Large pages are reduced so that measures compare across captures; small ones are not
    # enlarged: interpolation would count their few pixels as blur a second time, where
    # too_small already judges resolution (a sharp 776-px card photo measured 29 enlarged).
    if factor < 1.0:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    blur = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    paper = float(np.median(gray))
    blown_out = max(GLARE_LEVEL, paper + GLARE_MARGIN)
    glare = float(np.count_nonzero(gray >= blown_out)) / gray.size if blown_out <= 255 else 0.0
    return CaptureMeasures(blur=blur, glare=glare, brightness=paper)


def capture_issues(measures: CaptureMeasures) -> list[QualityIssue]:
    """The blur, glare and darkness issues the measures show."""
    issues: list[QualityIssue] = []
    if measures.blur < BLUR_THRESHOLD:
        issues.append(QualityIssue.BLUR)
    if measures.glare >= GLARE_THRESHOLD:
        issues.append(QualityIssue.GLARE)
    if measures.brightness < DARK_THRESHOLD:
        issues.append(QualityIssue.DARK)
    return issues


def too_small(document_long_side: float, kind: DocumentKind | None) -> bool:
    """Whether the document was captured with too few pixels for its kind."""
    minimum = MIN_LONG_SIDE.get(kind, DEFAULT_MIN_LONG_SIDE) if kind else DEFAULT_MIN_LONG_SIDE
    return document_long_side < minimum


def document_quality(pages: list[Quality], lines: list[OcrLine]) -> Quality:
    """One quality for the document: the first page's measures, every page's issues, and
    the mean confidence of its lines (LOW_CONFIDENCE when low)."""
    base = pages[0] if pages else Quality()
    issues = list(dict.fromkeys(issue for page in pages for issue in page.issues))
    confidence = sum(line.confidence for line in lines) / len(lines) if lines else 0.0
    if lines and confidence < LOW_CONFIDENCE_THRESHOLD:
        issues.append(QualityIssue.LOW_CONFIDENCE)
    return base.model_copy(update={"issues": issues, "mean_confidence": round(confidence, 4)})
