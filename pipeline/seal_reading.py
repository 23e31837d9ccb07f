"""A license's registration authority read along its round red seal, when the print lacks it.

Runs only when the printed 登记机关 was not read (or read as something no authority is
called): the seal nearest the 登记机关 label is found, unwrapped into straight strips (a few
text bands × ink renderings) and read by the line recognizer; of the readings that are a
plausible authority's name the best supported is kept, anything else is dropped.
"""

import math
from collections import defaultdict

import numpy as np

from pipeline.fields.authority import (
    SealText,
    authority_form,
    division_characters,
    plausible_authority,
)
from pipeline.images.seal import SealCircle, find_seals, seal_strips
from pipeline.ocr.base import LayoutEngine, OcrLine
from pipeline.reading import PageReading
from pipeline.standards.divisions import province_of_text
from pipeline.standards.text import normalize_text
from schemas import Box, DocumentKind, DocumentResult, ProvinceSource

AUTHORITY_LABEL = "登记机关"
MAX_SEALS = 1  # per page: the seal nearest the 登记机关 label (else the bottom right) only
AGREEING_STRIPS = 2  # strips reading the same plausible name end the search
MIN_CONFIDENCE = 0.9  # a plausible reading less confident than this is not kept
# The license's own province sources a seal reading must agree with (when any was read):
# a faint seal can read as another real authority (随州市曾都区 as 广州市花都区).
CROSS_CHECKED = (ProvinceSource.ADDRESS, ProvinceSource.USCC, ProvinceSource.REGISTRATION)


def needs_seal(result: DocumentResult) -> bool:
    """Whether a license's authority is unread (implausible readings are left unread)."""
    is_license = result.detected_kind is DocumentKind.BUSINESS_LICENSE
    return is_license and result.fields.issuing_authority is None


def read_seal_authority(
    result: DocumentResult, readings: list[PageReading], layout: LayoutEngine
) -> SealText | None:
    """The first plausible authority's name along a seal of the pages in a province the
    license's address or number names (any, when neither was read), or None."""
    provinces = {result.province_sources[s] for s in CROSS_CHECKED if s in result.province_sources}
    for index, reading in enumerate(readings):
        found = read_page_seals(reading, layout, provinces)
        if found is not None:
            return SealText(found.text, found.confidence, found.box, page=index)
    return None


def read_page_seals(
    reading: PageReading, layout: LayoutEngine, provinces: set[str] | None = None
) -> SealText | None:
    """The plausible authority's name on the page's seals, nearest the 登记机关 label first."""
    image = reading.page.image
    label = label_center(reading.lines)
    for circle in nearest_first(find_seals(image), label, image.shape)[:MAX_SEALS]:
        found = read_circle(image, circle, layout, provinces)
        if found is not None:
            return found
    return None


def label_center(lines: list[OcrLine]) -> tuple[float, float] | None:
    """The centre of the lowest line opening with the 登记机关 label, if one was read (a
    notice mentioning 登记机关 in passing does not open with it)."""
    labels = [line for line in lines if normalize_text(line.text).startswith(AUTHORITY_LABEL)]
    if not labels:
        return None
    lowest = max(labels, key=lambda line: line.center_y)
    return (lowest.left + lowest.right) / 2, lowest.center_y


def nearest_first(
    circles: list[SealCircle], label: tuple[float, float] | None, shape: tuple[int, ...]
) -> list[SealCircle]:
    """Seals nearest the label first; without a label, nearest the page's bottom right."""
    height, width = shape[:2]
    anchor = label or (float(width), float(height))
    return sorted(circles, key=lambda c: math.hypot(c.x - anchor[0], c.y - anchor[1]))


def whole_box(image: np.ndarray) -> Box:
    """A box around the whole image, clockwise from the top left."""
    height, width = (float(side) for side in image.shape[:2])
    return [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)]


def read_circle(
    image: np.ndarray,
    circle: SealCircle,
    layout: LayoutEngine,
    provinces: set[str] | None = None,
) -> SealText | None:
    """The seal's plausible reading naming the longest chain of real divisions (a misread
    place breaks it), then read by the most strips (near-twins merged), then the most
    confident; the strips stop once two agree on a name opening with a division. None when
    no strip reads a plausible authority's name (in one of `provinces`, when given)."""
    votes: dict[str, list[float]] = defaultdict(list)
    for strip in seal_strips(image, circle):
        for line in layout.recognize(strip, [whole_box(strip)]):
            text = authority_form(line.text)
            if line.confidence >= MIN_CONFIDENCE and _acceptable(text, provinces):
                votes[text].append(line.confidence)
        if any(_settled(text, confidences) for text, confidences in votes.items()):
            break
    if not votes:
        return None
    text, confidences = max(votes.items(), key=_rank)
    return SealText(text, max(confidences), circle.box)


def _acceptable(text: str, provinces: set[str] | None) -> bool:
    """A plausible authority's name, in one of the provinces when any is given."""
    if not plausible_authority(text):
        return False
    return not provinces or province_of_text(text) in provinces


def _settled(text: str, confidences: list[float]) -> bool:
    """Whether enough strips read this name, and it opens with a real division's name."""
    return len(confidences) >= AGREEING_STRIPS and division_characters(text) > 0


def _rank(vote: tuple[str, list[float]]) -> tuple[int, int, float]:
    """The division chain named, then the strips agreeing, then the summed confidence."""
    text, confidences = vote
    return division_characters(text), len(confidences), sum(confidences)
