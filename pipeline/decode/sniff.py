"""What a file really is, from its first bytes (the extension is never trusted)."""

import codecs
from enum import StrEnum

from pipeline.errors import DocumentError


class FileType(StrEnum):
    """The formats a document may arrive in."""

    JPEG = "jpeg"
    PNG = "png"
    BMP = "bmp"
    TIFF = "tiff"
    WEBP = "webp"
    GIF = "gif"
    PDF = "pdf"


ACCEPTED = "JPEG, PNG, BMP, TIFF, WebP, GIF or PDF"
PDF_MAGIC_WINDOW = 1024  # readers accept "%PDF-" anywhere in the first kilobyte

_IMAGE_MAGIC: list[tuple[bytes, FileType]] = [
    (b"\xff\xd8\xff", FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
    (b"II*\x00", FileType.TIFF),
    (b"MM\x00*", FileType.TIFF),
    (b"BM", FileType.BMP),
    (b"GIF87a", FileType.GIF),  # web pages and shop listings still serve scans as GIFs
    (b"GIF89a", FileType.GIF),
]

_OTHER_MAGIC: list[tuple[bytes, str]] = [
    (b"GIF8", "a GIF image of no known version"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel document)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x0a", "a JPEG XL image"),
    (b"%!PS", "a PostScript file"),
]

_ISO_MEDIA_BRANDS: dict[bytes, str] = {
    b"heic": "a HEIC photo (iPhone)",
    b"heix": "a HEIC photo (iPhone)",
    b"mif1": "a HEIF photo",
    b"avif": "an AVIF image",
}


def sniff(data: bytes) -> FileType:
    """The file's type from its magic bytes; DocumentError saying what it looks like otherwise."""
    for magic, file_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return file_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileType.WEBP
    if b"%PDF-" in data[:PDF_MAGIC_WINDOW]:
        return FileType.PDF
    raise DocumentError(f"the file is {describe(data)}, not a {ACCEPTED} file")


def describe(data: bytes) -> str:
    """A reviewer-readable guess of what an unaccepted file is."""
    if not data.strip():
        return "empty" if not data else "blank (only white space)"
    for magic, description in _OTHER_MAGIC:
        if data.startswith(magic):
            return description
    if data[4:8] == b"ftyp":
        return _ISO_MEDIA_BRANDS.get(data[8:12], "a video or ISO media file")
    return _describe_text(data) or f"unknown binary data (starting {data[:8].hex(' ')})"


def _describe_text(data: bytes) -> str | None:
    """What a text file looks like (HTML, SVG, XML, JSON, plain), or None if not text."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data[:4096], final=False)
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    head = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in head:
        return "an SVG drawing"
    if head.startswith(("<!doctype html", "<html")) or "<html" in head[:512]:
        return "an HTML file (a saved web page?)"
    if head.startswith("<?xml") or head.startswith("<"):
        return "an XML file"
    if head.startswith(("{", "[")):
        return "a JSON file"
    if head.startswith("data:image"):
        return "a base64 data URL (text), not the image itself"
    return "a text file"
