"""Screen-sized page images kept beside a report so the reviewer's page can show them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PagePreview:
    """One normalized page as JPEG; multiply evidence boxes by `scale` to place them on it."""

    jpeg: bytes
    width: int
    height: int
    scale: float
