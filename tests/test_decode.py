"""Decoding: sniffed types, limits before decoding, EXIF, colour modes, PDFs (no OCR)."""

import io
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.decode import decode_document
from pipeline.decode.raster import to_bgr
from pipeline.decode.sniff import FileType, sniff
from pipeline.errors import DocumentError, LimitExceededError
from pipeline.settings import Settings
from schemas import TextSource
from tests.hostile import corpus

SETTINGS = Settings()
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
PIL_FORMATS = {
    FileType.JPEG: "JPEG",
    FileType.PNG: "PNG",
    FileType.BMP: "BMP",
    FileType.TIFF: "TIFF",
    FileType.WEBP: "WEBP",
}


def encoded(picture: Image.Image, file_format: str, **options: object) -> bytes:
    """The picture saved in the given PIL format."""
    buffer = io.BytesIO()
    picture.save(buffer, file_format, **options)
    return buffer.getvalue()


def marked_picture(size: tuple[int, int] = (120, 60)) -> Image.Image:
    """A light grey picture with a red square in its top-left corner."""
    picture = Image.new("RGB", size, (200, 200, 200))
    picture.paste((255, 0, 0), (0, 0, 20, 20))
    return picture


def text_pdf(lines: list[str], pages: int = 1, encrypt: object = None) -> bytes:
    """A landscape A4 PDF whose pages carry the lines as real text (WenQuanYi Zen Hei)."""
    if "zenhei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("zenhei", ZENHEI))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=landscape(A4), encrypt=encrypt)
    for _ in range(pages):
        document.setFont("zenhei", 16)
        for row, text in enumerate(lines):
            document.drawString(80, 500 - row * 30, text)
        document.showPage()
    document.save()
    return buffer.getvalue()


def image_pdf(picture: Image.Image) -> bytes:
    """A one-page PDF holding only a picture (a scan without a text layer)."""
    return encoded(picture, "PDF", resolution=100.0)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height but carries no pixel data."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, payload, CRC."""
    checksum = struct.pack(">I", zlib.crc32(kind + payload))
    return struct.pack(">I", len(payload)) + kind + payload + checksum


@pytest.mark.parametrize("file_type", list(PIL_FORMATS))
def test_each_image_format_decodes_to_bgr(file_type: FileType) -> None:
    data = encoded(marked_picture(), PIL_FORMATS[file_type], quality=95)
    [page] = decode_document(data, "scan", SETTINGS)
    assert page.image.shape == (60, 120, 3) and page.image.dtype == np.uint8
    blue, green, red = (int(v) for v in page.image[5, 5])
    assert red > 200 and green < 60 and blue < 60  # BGR order: the red corner is red
    assert page.needs_ocr and page.text_lines == []
    assert sniff(data) is file_type


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"", "empty"),
        (b"   \n", "blank"),
        (b"<!DOCTYPE html><html><body>license</body></html>", "HTML"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "HEIC"),
        ("营业执照 名称".encode(), "text file"),
        (bytes(range(200, 256)), "unknown binary data"),
    ],
)
def test_unaccepted_files_are_named_by_what_they_look_like(data: bytes, looks_like: str) -> None:
    with pytest.raises(DocumentError, match=looks_like):
        decode_document(data, "license.jpg", SETTINGS)


def test_a_pdf_named_jpg_is_read_as_a_pdf() -> None:
    pages = decode_document(text_pdf(["名称 星河云帆"]), "license.jpg", SETTINGS)
    assert [line.text for line in pages[0].text_lines] == ["名称 星河云帆"]


def test_a_png_named_pdf_is_read_as_a_png() -> None:
    [page] = decode_document(encoded(marked_picture(), "PNG"), "license.pdf", SETTINGS)
    assert page.image.shape == (60, 120, 3)


def test_pixel_limit_is_refused_from_the_header_before_decoding() -> None:
    # the file holds almost no pixels: reaching the decoder would give "truncated" instead
    with pytest.raises(LimitExceededError, match="8000×6000 = 48,000,000 pixels"):
        decode_document(png_header_only(8_000, 6_000), "bomb.png", SETTINGS)
    assert len(png_header_only(8_000, 6_000)) < 100


def test_a_huge_declared_size_is_refused_as_a_limit() -> None:
    with pytest.raises(LimitExceededError):
        decode_document(png_header_only(50_000, 40_000), "bomb.png", SETTINGS)


def test_an_image_under_the_pixel_limit_but_over_a_lowered_one_is_refused() -> None:
    data = encoded(marked_picture((300, 200)), "PNG")
    with pytest.raises(LimitExceededError):
        decode_document(data, "a.png", Settings(max_pixels=300 * 200 - 1))
    assert decode_document(data, "a.png", Settings(max_pixels=300 * 200))


def test_a_large_jpeg_is_decoded_reduced_but_not_below_max_side() -> None:
    data = encoded(marked_picture((4000, 3000)), "JPEG", quality=90)
    [page] = decode_document(data, "phone.jpg", Settings(max_side=1000))
    assert page.image.shape[:2] == (750, 1000)  # decoded at 1/4: long side exactly max_side
    assert page.original_size == (4000, 3000)
    [full] = decode_document(data, "phone.jpg", Settings(max_side=2400))
    assert full.image.shape[:2] == (3000, 4000)  # 1/2 would fall below 2400: decoded in full


@pytest.mark.parametrize("file_format", ["JPEG", "PNG", "WEBP"])
def test_truncated_images_are_unreadable(file_format: str) -> None:
    picture = Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 400, 3), np.uint8))
    data = encoded(picture, file_format)
    with pytest.raises(DocumentError, match="truncated or damaged"):
        decode_document(data[: len(data) // 2], "cut", SETTINGS)


@pytest.mark.parametrize(("orientation", "degrees"), [(3, 180), (6, 90), (8, 270)])
def test_exif_orientation_is_applied(orientation: int, degrees: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(marked_picture(), "JPEG", exif=exif, quality=95)
    [page] = decode_document(data, "phone.jpg", SETTINGS)
    assert page.exif_rotation == degrees
    assert page.original_size == (120, 60)
    expected_shape = (60, 120, 3) if degrees == 180 else (120, 60, 3)
    assert page.image.shape == expected_shape
    corner = {90: (5, 54), 180: (54, 114), 270: (114, 5)}[degrees]  # where the red corner went
    assert page.image[corner][2] > 200 and page.image[corner][1] < 60


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_gives_the_pixels_exif_transpose_gives(orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(marked_picture(), "JPEG", exif=exif, quality=95)
    [page] = decode_document(data, "phone.jpg", SETTINGS)
    expected = to_bgr(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))
    assert np.array_equal(page.image, expected)
    assert page.notes == ()


def test_a_mistyped_exif_tag_does_not_cost_the_picture_or_its_orientation() -> None:
    [page] = decode_document(corpus.jpeg_with_mistyped_exif_tag(), "phone.jpg", SETTINGS)
    assert page.exif_rotation == 90  # orientation 6 is still read and applied
    width, height = corpus.PAGE_SIZE
    assert page.image.shape == (width, height, 3)
    assert page.notes == ()


def with_exif(segment: bytes) -> bytes:
    """A valid JPEG page with an APP1 segment inserted after SOI."""
    data = corpus.jpeg()
    return data[:2] + segment + data[2:]


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (
            with_exif(corpus.exif_segment([corpus.exif_entry(0x0112, 3, 1, 9)])),
            "the EXIF orientation '9' is not 1–8",
        ),
        (
            with_exif(corpus.exif_segment([corpus.exif_entry(0x0112, 2, 4, 0x00333231)])),
            "the EXIF orientation '123' is not 1–8",
        ),
        (
            with_exif(b"\xff\xe1\x00\x14Exif\x00\x00II*\x00\x08\x00\x00\x00\xf4\x01"),
            "the EXIF block is damaged (Corrupt EXIF data.",
        ),
    ],
    ids=["orientation-9", "orientation-text", "ifd-cut-short"],
)
def test_a_broken_exif_orientation_is_ignored_with_a_note(data: bytes, note: str) -> None:
    [page] = decode_document(data, "phone.jpg", SETTINGS)
    assert page.exif_rotation == 0
    assert page.image.shape == (*corpus.PAGE_SIZE[::-1], 3)
    assert len(page.notes) == 1 and page.notes[0].startswith(note)
    assert page.notes[0].endswith("; the picture is read as stored")


def test_an_exif_block_that_cannot_be_parsed_is_ignored_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: Image.Image) -> Image.Exif:
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(Image.Image, "getexif", broken)
    [page] = decode_document(corpus.jpeg(), "phone.jpg", SETTINGS)
    assert page.exif_rotation == 0
    assert page.notes == ("the EXIF block is unreadable (error); the picture is read as stored",)


def test_cmyk_jpeg_becomes_bgr() -> None:
    cmyk = Image.new("CMYK", (40, 30), (0, 255, 255, 0))  # pure red in CMYK
    [page] = decode_document(encoded(cmyk, "JPEG", quality=95), "cmyk.jpg", SETTINGS)
    blue, green, red = (int(v) for v in page.image[15, 20])
    assert page.image.shape == (30, 40, 3) and red > 200 and green < 60 and blue < 60


def test_16_bit_grey_is_scaled_not_clipped() -> None:
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (10, 1))
    [page] = decode_document(encoded(Image.fromarray(ramp), "PNG"), "deep.png", SETTINGS)
    row = page.image[5, :, 0].astype(int)
    assert row[0] == 0 and row[-1] == 255 and 120 <= row[128] <= 135  # mid-grey stays mid-grey


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparent_pixels_become_white(mode: str) -> None:
    picture = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    picture.paste((0, 0, 0, 255), (0, 0, 10, 20))
    if mode == "P":
        data = encoded(picture.convert("RGB").convert("P"), "PNG", transparency=0)
    else:
        data = encoded(picture.convert(mode), "PNG")
    [page] = decode_document(data, "alpha.png", SETTINGS)
    assert page.image.shape == (20, 20, 3)
    assert page.image[10, 15].min() == 255  # the transparent half is white
    if mode != "P":  # in the palette case index 0 (black) is the transparent colour
        assert page.image[10, 5].max() == 0


def test_grey_and_bilevel_images_get_three_channels() -> None:
    grey = Image.new("L", (30, 20), 90)
    [page] = decode_document(encoded(grey, "PNG"), "grey.png", SETTINGS)
    assert page.image.shape == (20, 30, 3) and set(page.image[5, 5]) == {90}
    [bilevel] = decode_document(encoded(grey.convert("1"), "TIFF"), "fax.tif", SETTINGS)
    assert bilevel.image.shape == (20, 30, 3)


def test_a_truncated_gif_is_named_as_damaged() -> None:
    with pytest.raises(DocumentError, match="GIF image is truncated or damaged"):
        decode_document(b"GIF89a\x01\x00\x01\x00", "license.jpg", SETTINGS)


@pytest.mark.parametrize("file_format", ["TIFF", "WEBP", "GIF"])
def test_multi_frame_files_keep_the_first_frame_with_a_note(file_format: str) -> None:
    first, second = Image.new("RGB", (30, 20), (255, 0, 0)), Image.new("RGB", (30, 20), (0, 0, 255))
    data = encoded(first, file_format, save_all=True, append_images=[second], lossless=True)
    [page] = decode_document(data, "two.tif", SETTINGS)
    assert page.image[5, 5].tolist() == [0, 0, 255]
    assert page.notes and "2 frames" in page.notes[0]


def test_text_layer_pdf_gives_lines_in_raster_pixels() -> None:
    lines = ["名称 北京星河云帆科技有限公司", "住所 北京市海淀区"]
    [page] = decode_document(text_pdf(lines), "e.pdf", SETTINGS)
    assert [line.text for line in page.text_lines] == lines
    assert {(line.source, line.confidence) for line in page.text_lines} == {
        (TextSource.TEXT_LAYER, 1.0)
    }
    assert max(page.image.shape[:2]) <= 1400  # rasterized only for the preview
    height, width = page.image.shape[:2]
    first = page.text_lines[0]
    # 80 pt from the left, baseline 500 pt up a 595 pt page → top ≈ (595 - 500 - 16) pt
    assert first.left == pytest.approx(80 * width / 842, abs=3)
    assert first.top == pytest.approx(79 * height / 595, abs=8)
    dark = page.image[int(first.top) : int(first.bottom), int(first.left) : int(first.right)]
    assert dark.min() < 100  # the box covers the printed glyphs


def test_far_apart_words_on_one_row_are_separate_lines() -> None:
    [page] = decode_document(text_pdf(["名称 甲乙丙丁          类型 有限公司"]), "e.pdf", SETTINGS)
    assert [line.text for line in page.text_lines] == ["名称 甲乙丙丁", "类型 有限公司"]


def test_pdf_without_text_is_rasterized_at_pdf_dpi_for_ocr() -> None:
    picture = marked_picture((850, 550))  # 8.5 × 5.5 in at 100 dpi
    [page] = decode_document(image_pdf(picture), "scan.pdf", Settings(pdf_dpi=200))
    assert page.needs_ocr
    assert page.image.shape[1] == pytest.approx(1700, abs=4)


def test_password_protected_pdf_is_unreadable() -> None:
    with pytest.raises(DocumentError, match="password"):
        decode_document(text_pdf(["名称 甲"], encrypt="secret"), "locked.pdf", SETTINGS)


def test_pdf_with_only_permission_restrictions_is_read() -> None:
    restricted = pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0)
    [page] = decode_document(text_pdf(["名称 甲乙丙丁"], encrypt=restricted), "e.pdf", SETTINGS)
    assert [line.text for line in page.text_lines] == ["名称 甲乙丙丁"]


def test_too_many_pdf_pages_are_refused_naming_the_count() -> None:
    with pytest.raises(LimitExceededError, match="6 pages"):
        decode_document(text_pdf(["名称 甲"], pages=6), "long.pdf", Settings(max_pdf_pages=5))


def test_truncated_pdf_is_unreadable() -> None:
    data = text_pdf(["名称 甲乙丙丁"])
    with pytest.raises(DocumentError, match="PDF"):
        decode_document(data[: len(data) // 3], "cut.pdf", SETTINGS)


def test_pdf_page_over_the_pixel_limit_is_refused_before_rasterizing() -> None:
    with pytest.raises(LimitExceededError):
        decode_document(image_pdf(marked_picture((850, 550))), "s.pdf", Settings(max_pixels=10_000))


def rotated_text_pdf(text: str) -> bytes:
    """A landscape page stored portrait with /Rotate 90, its text drawn turned so that it
    reads left to right when the page is shown (as scanners store landscape licenses)."""
    if "zenhei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("zenhei", ZENHEI))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4)
    document.setPageRotation(90)
    document.translate(500, 80)
    document.rotate(90)
    document.setFont("zenhei", 16)
    document.drawString(0, 0, text)
    document.showPage()
    document.save()
    return buffer.getvalue()


def test_a_rotated_page_gives_upright_lines_on_the_shown_raster() -> None:
    [page] = decode_document(rotated_text_pdf("名称 北京星河云帆科技有限公司"), "r.pdf", SETTINGS)
    [line] = page.text_lines
    assert line.text == "名称 北京星河云帆科技有限公司"
    dark_rows, dark_columns = np.nonzero(page.image.min(axis=2) < 128)
    assert line.left == pytest.approx(dark_columns.min(), abs=4)
    assert dark_columns.max() <= line.right <= dark_columns.max() + 10  # + the last advance
    assert line.top <= dark_rows.min() + 1 and line.bottom >= dark_rows.max() - 1
    assert line.bottom - line.top < 40  # one row of 16 pt glyphs, not a column


def test_a_pdf_hiding_pages_behind_a_lying_count_is_refused() -> None:
    data = corpus.pdf_with_lying_count(50)
    with pytest.raises(LimitExceededError, match=r"50 page objects.*/Count.*says 1"):
        decode_document(data, "lying.pdf", SETTINGS)


def test_a_pdf_page_that_renders_for_a_minute_is_stopped_at_document_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceededError, match=r"reading the PDF took longer than 1 s"):
        decode_document(corpus.pdf_render_bomb(5), "slow.pdf", Settings(document_seconds=1))
    assert time.monotonic() - started < 2


# In a fresh interpreter: the cap bounds how far the reading child's address space grows, and
# a parent whose heap holds freed memory (a test process after OCR tests) lends the child
# room the cap does not count, so in-process the outcome depended on the tests run before.
MEMORY_CAP_SCRIPT = """
from pipeline.decode import decode_document, pdf
from pipeline.errors import DocumentError
from pipeline.settings import Settings
from tests.hostile import corpus
pdf.PDF_MEMORY_MB = 64
try:
    decode_document(corpus.pdf_content_bomb(100), "bomb.pdf", Settings())  # 100 MB inflated
    print("read")
except DocumentError as error:
    print("refused:", error.message)
"""


def test_a_pdf_needing_more_than_the_memory_cap_is_refused() -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CAP_SCRIPT],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert "refused:" in result.stdout, result.stdout + result.stderr[-2000:]
    assert "more than 64 MB of memory" in result.stdout
