"""Electronic business licenses as PDF: with a text layer (reportlab), or a scanned image."""

import io
import random

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from samples.generator.capture import encode_jpeg, scanned
from samples.generator.fonts import PDF_FONT_FILE
from samples.generator.license import LicensePainter, TextItem, license_fields
from samples.generator.models import Company, LicenseLayout
from schemas import DocumentFields

PDF_FONT = "WenQuanYiZenHei"
POINTS_PER_PIXEL = 0.5  # a 1600 × 1100 px license becomes an 800 × 550 pt page


def _register_font() -> None:
    """Make WenQuanYi Zen Hei (from the .ttc) available to reportlab, once."""
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        path, index = PDF_FONT_FILE
        pdfmetrics.registerFont(TTFont(PDF_FONT, path, subfontIndex=index))


def _png_reader(image: Image.Image) -> ImageReader:
    """An ImageReader over PNG bytes (keeps the alpha channel of seals)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _draw_text(pdf: canvas.Canvas, item: TextItem, page_height: float) -> None:
    """One recorded text run at the same place, on the baseline reportlab expects."""
    size = item.size * POINTS_PER_PIXEL
    x = item.x * POINTS_PER_PIXEL
    y = page_height - (item.y + item.ascent) * POINTS_PER_PIXEL
    text = pdf.beginText(x, y)
    text.setFont(PDF_FONT, size)
    text.setCharSpace(item.spacing * POINTS_PER_PIXEL)
    text.textOut(item.text)
    pdf.drawText(text)


def license_text_pdf(
    company: Company, layout: LicenseLayout, rng: random.Random
) -> tuple[bytes, DocumentFields]:
    """A one-page PDF whose text is real text (WenQuanYi Zen Hei), decorations as images."""
    _register_font()
    painter = LicensePainter(company, layout, rng, vector=True)
    background = painter.paint()
    width, height = (side * POINTS_PER_PIXEL for side in background.size)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    pdf.setTitle("营业执照")
    pdf.drawImage(ImageReader(io.BytesIO(encode_jpeg(background, 75))), 0, 0, width, height)
    for item in painter.texts:
        _draw_text(pdf, item, height)
    for stamp in painter.stamps:
        size = stamp.image.width * POINTS_PER_PIXEL
        x = stamp.center[0] * POINTS_PER_PIXEL - size / 2
        y = height - stamp.center[1] * POINTS_PER_PIXEL - size / 2
        pdf.drawImage(_png_reader(stamp.image), x, y, size, size, mask="auto")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), license_fields(company, layout)


def scanned_pdf(image: Image.Image, rng: random.Random) -> bytes:
    """A one-page PDF holding only a scanned JPEG of the document (no text layer)."""
    page = scanned(image, rng)
    width, height = (side * POINTS_PER_PIXEL for side in page.size)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    pdf.drawImage(ImageReader(io.BytesIO(encode_jpeg(page, 75))), 0, 0, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
