"""A decoded page, and the pixel limit every decoder checks before decoding."""

from dataclasses import dataclass, field

import numpy as np

from pipeline.errors import DocumentError, LimitExceededError
from pipeline.ocr.base import OcrLine

# Pages are shown to reviewers with their long side at most this size (text-layer pages of
# PDFs are rasterized only to be shown, so at this size too).
PREVIEW_LONG_SIDE = 1400


@dataclass(frozen=True)
class DecodedPage:
    """One page as an 8-bit BGR image, with any text layer already in its pixels."""

    index: int
    image: np.ndarray
    text_lines: list[OcrLine] = field(default_factory=list)
    original_size: tuple[int, int] = (0, 0)
    exif_rotation: int = 0
    notes: tuple[str, ...] = ()

    @property
    def needs_ocr(self) -> bool:
        """Whether the page has no text layer and must be read by the OCR engine."""
        return not self.text_lines


def check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    """LimitExceededError when the declared width × height is over the limit."""
    width, height = size
    if width <= 0 or height <= 0:
        raise DocumentError(f"the image declares an empty size ({width}×{height})")
    if width * height > max_pixels:
        raise LimitExceededError(
            f"the image is {width}×{height} = {width * height:,} pixels; "
            f"the limit is {max_pixels:,} (scan at a lower resolution)"
        )
