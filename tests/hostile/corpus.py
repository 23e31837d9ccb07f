"""The hostile-input corpus, generated in code: broken, lying, huge and crafted files."""

import io
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from pipeline.ocr.fake import FakeLine, FakeScript

PAGE_SIZE = (640, 400)
A4_POINTS = (595, 842)
# Something an embedded file or a launched command would leave behind if it ran.
PAYLOAD_MARKER = "HOSTILE-PAYLOAD-7f3a9c"


# ---- images ---------------------------------------------------------------------------


def document_like(size: tuple[int, int] = PAGE_SIZE, mode: str = "RGB") -> Image.Image:
    """A white page with dark text-like bars (enough structure for normalization)."""
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    width, height = size
    for row in range(1, 6):
        top = row * height // 7
        draw.rectangle((width // 10, top, width * 8 // 10, top + max(height // 30, 1)), "black")
    return picture if mode == "RGB" else picture.convert(mode)


def encode(picture: Image.Image, image_format: str, **options: object) -> bytes:
    """The picture saved in a format, as bytes."""
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg() -> bytes:
    """A plain, valid JPEG page."""
    return encode(document_like(), "JPEG", quality=85)


def png() -> bytes:
    """A plain, valid PNG page."""
    return encode(document_like(), "PNG")


def truncated(data: bytes, keep: float) -> bytes:
    """The first share of a file's bytes (at least its first 4)."""
    return data[: max(4, int(len(data) * keep))]


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header declares width × height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff" * 3 * min(width, 16), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to declare width × height."""
    data = bytearray(encode(Image.new("L", (8, 8), 255), "JPEG"))
    start = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, start + 5, height, width)
    return bytes(data)


def exif_segment(entries: list[bytes]) -> bytes:
    """An APP1 Exif segment (a little-endian IFD0 of the given 12-byte entries)."""
    ifd = struct.pack("<H", len(entries)) + b"".join(entries)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def exif_entry(tag: int, type_code: int, count: int, value: int) -> bytes:
    """One IFD entry: tag, TIFF type, count, value or offset."""
    return struct.pack("<HHII", tag, type_code, count, value)


ORIENTATION_ROTATE_90 = exif_entry(0x0112, 3, 1, 6)


def jpeg_with_huge_exif(segments: int = 100) -> bytes:
    """A valid JPEG carrying `segments` maximal Exif blocks (≈ 64 KiB each) after SOI.

    Each block holds 5 400 entries of a private tag range (0xE000–0xEFFF) and one
    ImageDescription claiming 2 GiB of text.
    """
    padding = [exif_entry(0xE000 + tag % 0x1000, 7, 4, tag) for tag in range(5398)]
    block = exif_segment([ORIENTATION_ROTATE_90, exif_entry(0x010E, 2, 0x7FFFFFFF, 8), *padding])
    return jpeg()[:2] + block * segments + jpeg()[2:]


def jpeg_with_mistyped_exif_tag() -> bytes:
    """A valid JPEG whose Exif gives a known SHORT tag (MakerNoteSafety) the UNDEFINED type."""
    block = exif_segment([ORIENTATION_ROTATE_90, exif_entry(0xC635, 7, 4, 1)])
    return jpeg()[:2] + block + jpeg()[2:]


def multi_frame_tiff() -> bytes:
    """A three-page TIFF."""
    frames = [document_like(), Image.new("RGB", PAGE_SIZE, "red"), Image.new("RGB", PAGE_SIZE)]
    return encode(
        frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw"
    )


def animated_webp() -> bytes:
    """A three-frame animated WebP."""
    frames = [document_like(), Image.new("RGB", PAGE_SIZE, "red"), Image.new("RGB", PAGE_SIZE)]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def with_declared_size(data: bytes, offset: int, fmt: str, width: int, height: int) -> bytes:
    """A file with its header's width and height overwritten at an offset."""
    patched = bytearray(data)
    struct.pack_into(fmt, patched, offset, width, height)
    return bytes(patched)


def bmp_declaring(width: int, height: int) -> bytes:
    """A 4 × 4 BMP whose info header declares width × height."""
    return with_declared_size(encode(Image.new("RGB", (4, 4)), "BMP"), 18, "<ii", width, height)


def tiff_declaring(width: int, height: int) -> bytes:
    """A 4 × 4 TIFF whose ImageWidth and ImageLength tags declare width × height (LONG)."""
    data = bytearray(encode(Image.new("L", (4, 4)), "TIFF"))
    ifd = struct.unpack_from("<I", data, 4)[0]
    for index in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * index
        tag = struct.unpack_from("<H", data, entry)[0]
        if tag in (256, 257):
            struct.pack_into("<HHII", data, entry, tag, 4, 1, width if tag == 256 else height)
    return bytes(data)


def png_with_text_bomb(megabytes: int = 20) -> bytes:
    """A valid PNG with a zTXt chunk that inflates to `megabytes` (deflate ≈ 1000:1)."""
    text = zlib.compress(b"a" * (megabytes * 1024 * 1024), 9)
    chunk = png_chunk(b"zTXt", b"Comment\x00\x00" + text)
    data = png()
    return data[:33] + chunk + data[33:]


def one_pixel() -> bytes:
    """A 1 × 1 PNG."""
    return encode(Image.new("RGB", (1, 1), "white"), "PNG")


def cmyk_jpeg() -> bytes:
    """A CMYK JPEG (as print workflows export)."""
    return encode(document_like(mode="CMYK"), "JPEG", quality=85)


def gray16_png() -> bytes:
    """A 16-bit grayscale PNG."""
    gray = document_like().convert("L")
    return encode(gray.point(lambda level: level * 257, "I").convert("I;16"), "PNG")


def palette_png_with_transparency() -> bytes:
    """A palette PNG whose background is transparent."""
    picture = document_like().convert("P")
    return encode(picture, "PNG", transparency=picture.getpixel((0, 0)))


# ---- text pretending to be images -----------------------------------------------------


def html_page() -> bytes:
    """A saved web page."""
    return b"<!DOCTYPE html><html><head><title>license</title></head><body>hi</body></html>"


def svg_drawing() -> bytes:
    """An SVG drawing with a script in it."""
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )


# ---- PDFs -------------------------------------------------------------------------------


@dataclass
class PdfWriter:
    """A minimal PDF writer: numbered objects, an xref table and a trailer."""

    objects: list[bytes] = field(default_factory=list)

    def add(self, body: bytes) -> int:
        """Append an object; its number."""
        self.objects.append(body)
        return len(self.objects)

    def set(self, number: int, body: bytes) -> None:
        """Replace a reserved object's body."""
        self.objects[number - 1] = body

    def render(self, root: int) -> bytes:
        """The whole file."""
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(self.objects) + 1, root)
        return bytes(out + trailer + b"startxref\n%d\n%%%%EOF\n" % xref)


def blank_pdf(
    pages: int,
    media_box: tuple[int, int] = A4_POINTS,
    catalog_extra: bytes = b"",
    declared_count: int | None = None,
) -> bytes:
    """A PDF of blank pages written object by object (5 000 pages take milliseconds)."""
    writer = PdfWriter()
    catalog = writer.add(b"")
    tree = writer.add(b"")
    width, height = media_box
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] >>" % (tree, width, height)
    kids = [writer.add(page) for _ in range(pages)]
    references = b" ".join(b"%d 0 R" % kid for kid in kids)
    count = pages if declared_count is None else declared_count
    writer.set(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (references, count))
    writer.set(catalog, b"<< /Type /Catalog /Pages %d 0 R %s>>" % (tree, catalog_extra))
    return writer.render(catalog)


def single_page_pdf(page_extra: bytes = b"", content: bytes | None = None) -> bytes:
    """One A4 page with extra page-dictionary entries and an optional Flate content stream."""
    writer = PdfWriter()
    catalog = writer.add(b"")
    tree = writer.add(b"")
    if content is not None:
        packed = zlib.compress(content, 9)
        stream = writer.add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
        )
        page_extra += b" /Contents %d 0 R" % stream
    page = writer.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] %s >>"
        % (tree, A4_POINTS[0], A4_POINTS[1], page_extra)
    )
    writer.set(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    writer.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    return writer.render(catalog)


def pdf_content_bomb(inflated_megabytes: int = 1) -> bytes:
    """A one-page PDF (~1.6 KB a MB) whose content stream inflates to MBs of path operators."""
    operators = b"0 0 m\n" * (inflated_megabytes * 1024 * 1024 // 6)
    return single_page_pdf(content=operators)


def pdf_render_bomb(inflated_megabytes: int = 5) -> bytes:
    """A one-page PDF (~13 KB a MB) stroking MBs of lines: parsed in well under a second, it
    takes pdfium about 4 s a MB to render."""
    strokes = b"0 0 m 100 100 l S\n"
    return single_page_pdf(content=strokes * (inflated_megabytes * 1024 * 1024 // len(strokes)))


def pdf_deeply_nested(depth: int) -> bytes:
    """A one-page PDF whose page dictionary holds an array nested `depth` deep."""
    return single_page_pdf(b"/Nested " + b"[" * depth + b"]" * depth)


def pdf_page_tree_loop() -> bytes:
    """A PDF whose page tree lists itself as its only kid."""
    writer = PdfWriter()
    catalog = writer.add(b"")
    tree = writer.add(b"")
    writer.set(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % tree)
    writer.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    return writer.render(catalog)


def pdf_with_lying_count(pages: int) -> bytes:
    """A PDF of `pages` blank pages whose page tree claims /Count 1."""
    return blank_pdf(pages, declared_count=1)


def pdf_with_javascript_and_attachment() -> bytes:
    """One blank page; the catalog runs JavaScript on open, launches a command, embeds a file."""
    marker = PAYLOAD_MARKER.encode()
    script = b"app.alert('%s'); this.exportDataObject({cName: 'payload.txt', nLaunch: 2});" % marker
    launch = b"<< /S /Launch /F (/bin/sh) /Win << /F (cmd.exe) /P (/c echo %s) >> >>" % marker
    embedded = (
        b"<< /Type /Filespec /F (payload.txt) /EF << /F << /Type /EmbeddedFile /Length %d >>"
        b"\nstream\n%s\nendstream >> >>"
    ) % (len(marker), marker)
    extra = (
        b"/OpenAction << /S /JavaScript /JS (%s) >> /AA << /WC %s >> "
        b"/Names << /JavaScript << /Names [(open) << /S /JavaScript /JS (%s) >>] >> "
        b"/EmbeddedFiles << /Names [(payload.txt) %s] >> >> "
    ) % (script, launch, script, embedded)
    return blank_pdf(1, catalog_extra=extra)


def reportlab_pdf(pages: int = 1, user_password: str | None = None) -> bytes:
    """A PDF of pages with a little drawing (no text layer), optionally encrypted."""
    buffer = io.BytesIO()
    encrypt = StandardEncryption(user_password, "owner-secret") if user_password else None
    canvas = Canvas(buffer, pagesize=A4_POINTS, encrypt=encrypt)
    for _ in range(pages):
        canvas.rect(100, 600, 300, 20, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def owner_password_pdf() -> bytes:
    """A PDF encrypted with an empty user password (opens without a password)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_POINTS, encrypt=StandardEncryption("", "owner-secret"))
    canvas.rect(100, 600, 300, 20, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---- the scripted OCR reading of an ID card front --------------------------------------

ID_NUMBER = "110108199001011231"  # synthetic; valid GB 11643 check digit, odd = male
MOBILE = "13800000000"


def id_front_script() -> FakeScript:
    """What a fake engine 'reads' on every page: a synthetic ID card front."""
    texts = [
        "姓名李明远",
        "性别男民族汉",
        "出生1990年1月1日",
        "住址北京市海淀区中关村南大街5号",
        f"公民身份号码{ID_NUMBER}",
    ]
    lines = [
        FakeLine(text=text, box=[(40.0, 40.0 + 50 * row), (600.0, 40.0 + 50 * row),
                                 (600.0, 80.0 + 50 * row), (40.0, 80.0 + 50 * row)])
        for row, text in enumerate(texts)
    ]
    return FakeScript(lines=lines)


# ---- forms ---------------------------------------------------------------------------------


def good_form(packet_id: str = "P2026-000123", files: tuple[str, ...] = ("id.jpg",)) -> dict:
    """A valid personal-filing form naming the given files as ID card fronts."""
    return {
        "packet_id": packet_id,
        "filing_type": "personal",
        "province": "北京市",
        "subject": {"name": "李明远", "certificate_type": "id_card",
                    "certificate_number": ID_NUMBER},
        "principal": {"name": "李明远", "id_type": "id_card", "id_number": ID_NUMBER,
                      "mobile": MOBILE},
        "documents": [{"file": name, "kind": "id_card_front"} for name in files],
    }


def form_bytes(form: object) -> bytes:
    """A form as UTF-8 JSON."""
    return json.dumps(form, ensure_ascii=False).encode()


def nested(depth: int) -> bytes:
    """A form whose extra field is an array nested `depth` deep."""
    return b'{"packet_id": "P1", "x": ' + b"[" * depth + b"]" * depth + b"}"


def huge_form(megabytes: int) -> bytes:
    """A syntactically valid form padded to the given size."""
    padding = "a" * (megabytes * 1024 * 1024)
    return form_bytes({**good_form(), "padding": padding})


Factory = Callable[[], bytes]
