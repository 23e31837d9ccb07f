"""Bytes → page images, safely: sniffed type, size limits before decoding, 8-bit BGR out."""

from pipeline.decode.pages import DecodedPage
from pipeline.decode.raster import decode_image
from pipeline.decode.sniff import FileType, sniff
from pipeline.settings import Settings

__all__ = ["DecodedPage", "decode_document"]


def decode_document(data: bytes, file_name: str, settings: Settings) -> list[DecodedPage]:
    """The pages of an image or PDF file (DocumentError / LimitExceededError when unusable)."""
    file_type = sniff(data)
    if file_type is FileType.PDF:
        from pipeline.decode.pdf import decode_pdf  # pdfium loads only for PDFs

        return decode_pdf(data, settings)
    return [decode_image(data, file_type, settings)]
