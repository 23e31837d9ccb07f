"""The engine interface and the text line every later stage works with."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from schemas import Box, EngineInfo, TextSource


@dataclass(frozen=True)
class OcrLine:
    """One line of text with its confidence and quadrilateral in page pixels."""

    text: str
    confidence: float
    box: Box
    source: TextSource = TextSource.OCR

    @property
    def left(self) -> float:
        return min(x for x, _ in self.box)

    @property
    def right(self) -> float:
        return max(x for x, _ in self.box)

    @property
    def top(self) -> float:
        return min(y for _, y in self.box)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.box)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


class OcrEngine(Protocol):
    """Reads text lines from a BGR image. Not thread-safe: one instance per thread."""

    info: EngineInfo

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Every text line found in the image, in reading order."""
        ...
