"""Crops of the characters in doubt, cut from the page previews, for the comparisons table."""

import base64
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.images.previews import PagePreview
from schemas import CharacterDoubt, FieldComparison

CROP_HEIGHT = 56  # px: a character shown at a size a reviewer can judge
# Around the doubtful characters, in box heights: a neighbour either side, a little above/below.
CROP_PAD_X = 1.2
CROP_PAD_Y = 0.3
CROP_QUALITY = 85


@dataclass(frozen=True)
class DoubtView:
    """One character in doubt: both readings, how sure the recognizer was, and its crop."""

    form_char: str
    document_char: str
    form_probability: str
    document_probability: str
    clear: bool
    crop_uri: str | None


def doubt_views(
    comparison: FieldComparison, previews: dict[str, list[PagePreview]]
) -> list[DoubtView]:
    """The comparison's doubts, each with a crop of the page preview where it stands (each
    page decoded once)."""
    pages = previews.get(comparison.document or "", [])
    wanted = {doubt.page for doubt in comparison.doubts if doubt.page < len(pages)}
    decoded = {page: _decoded(pages[page]) for page in wanted}
    return [
        DoubtView(
            form_char=doubt.form_char or "（无）",
            document_char=doubt.document_char or "（无）",
            form_probability=_shown(doubt.form_char_probability),
            document_probability=_shown(doubt.document_char_probability),
            clear=doubt.clear,
            crop_uri=_crop_uri(doubt, decoded.get(doubt.page), pages[doubt.page].scale)
            if doubt.page in decoded
            else None,
        )
        for doubt in comparison.doubts
    ]


def _decoded(preview: PagePreview) -> np.ndarray | None:
    """The preview's pixels (None if its JPEG does not decode)."""
    return cv2.imdecode(np.frombuffer(preview.jpeg, np.uint8), cv2.IMREAD_COLOR)


def _shown(probability: float | None) -> str:
    return "—" if probability is None else f"{probability:.2f}"


def _crop_uri(doubt: CharacterDoubt, image: np.ndarray | None, scale: float) -> str | None:
    """A small JPEG of the doubt's box on the preview's pixels (padded), as a data URI."""
    if image is None:
        return None
    xs = [x * scale for x, _ in doubt.box]
    ys = [y * scale for _, y in doubt.box]
    height = max(ys) - min(ys)
    pad_x, pad_y = CROP_PAD_X * height, CROP_PAD_Y * height
    left, right = int(max(min(xs) - pad_x, 0)), int(min(max(xs) + pad_x, image.shape[1]))
    top, bottom = int(max(min(ys) - pad_y, 0)), int(min(max(ys) + pad_y, image.shape[0]))
    if right - left < 2 or bottom - top < 2:
        return None
    crop = image[top:bottom, left:right]
    scale = CROP_HEIGHT / crop.shape[0]
    crop = cv2.resize(crop, (max(round(crop.shape[1] * scale), 1), CROP_HEIGHT))
    ok, encoded = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, CROP_QUALITY])
    if not ok:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")
