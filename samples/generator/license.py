"""Business license (营业执照, 2016+ format) rendered as an image, with its truth fields."""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from samples.generator import electronic, shangshi
from samples.generator.drawing import (
    draw_text,
    make_emblem,
    make_qr,
    make_seal,
    multiply_onto,
    paper_noise,
    spaced_label,
    text_width,
    wrap_text,
)
from samples.generator.fonts import LABEL_FONTS, VALUE_FONTS, font
from samples.generator.models import Company, LicenseLayout
from schemas import DocumentFields, NumberKind

INK = (28, 26, 24)
FRAME = (176, 140, 80)
LANDSCAPE_SIZE = (1600, 1100)
PORTRAIT_SIZE = (1100, 1560)
SHANGSHI_TYPE = 1.25  # the 商事主体 副本 prints its five rows larger
FOOTER = (
    "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn",
    "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。",
)


@dataclass(frozen=True)
class TextItem:
    """One run of text as placed on the page (pixel coordinates, top-left anchor)."""

    x: float
    y: float
    text: str
    size: float
    ascent: int
    spacing: float


@dataclass(frozen=True)
class Stamp:
    """An RGBA image (the seal) centred at a point of the page."""

    image: Image.Image
    center: tuple[float, float]


@dataclass
class Column:
    """A vertical run of label/value rows on the license."""

    x: int
    y: int
    width: int
    bottom: int


def cn_date(day: date) -> str:
    """2016年03月01日, as licenses print dates."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def normalized(text: str) -> str:
    """NFKC with white space removed, the form every truth field takes."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def random_license_layout(rng: random.Random) -> LicenseLayout:
    """A random combination of the visual variants."""
    return LicenseLayout(
        orientation=rng.choices(["landscape", "portrait"], [0.65, 0.35])[0],
        spaced_labels=rng.random() < 0.7,
        value_below_label=rng.random() < 0.2,
        authority_printed=True,
        label_font=rng.choice(LABEL_FONTS),
        value_font=rng.choice(VALUE_FONTS),
        text_scale=round(rng.uniform(0.9, 1.1), 2),
    )


def license_rows(company: Company) -> list[tuple[str, str]]:
    """(label, value) rows in print order, for the kind of entity."""
    term = (
        cn_date(company.established)
        + "至"
        + ("长期" if company.valid_to is None else cn_date(company.valid_to))
    )
    if company.form == "individual":
        return [
            ("名称", company.name),
            ("类型", company.entity_type),
            ("经营者", company.representative),
            ("组成形式", "个人经营"),
            ("注册日期", cn_date(company.established)),
            ("经营场所", company.address),
        ]
    partnership = company.form == "partnership"
    rows = [
        ("名称", company.name),
        ("类型", company.entity_type),
        (company.representative_label, company.representative),
    ]
    if company.registered_capital:
        rows.append(("出资额" if partnership else "注册资本", company.registered_capital))
    rows += [
        ("成立日期", cn_date(company.established)),
        ("合伙期限" if partnership else "营业期限", term),
    ]
    rows.append((_address_label(company), company.address))
    return rows


def _address_label(company: Company) -> str:
    """住所; a branch's 营业场所; a partnership's 主要经营场所."""
    if company.form == "partnership":
        return "主要经营场所"
    return "营业场所" if company.form == "branch" else "住所"


def _number(company: Company, layout: LicenseLayout) -> str:
    """The number the license prints: its 注册号 on a legacy license, else its USCC."""
    if layout.legacy:
        if company.registration_number is None:
            raise ValueError("a legacy license needs the company's registration_number")
        return company.registration_number
    return company.uscc


def license_fields(company: Company, layout: LicenseLayout) -> DocumentFields:
    """The truth a perfect extractor returns for this license (docs/RULES.md formats); the
    商事主体 variant prints no 营业期限 and no capital."""
    fields = _printed_fields(company, layout)
    if layout.family != "shangshi":
        return fields
    return fields.model_copy(
        update={"valid_from": None, "valid_to": None, "registered_capital": None}
    )


def _printed_fields(company: Company, layout: LicenseLayout) -> DocumentFields:
    """Every field of the company as the 2016+ paper license prints it."""
    return DocumentFields(
        name=normalized(company.name),
        number=_number(company, layout),
        number_kind=NumberKind.REGISTRATION if layout.legacy else NumberKind.USCC,
        province=company.province,
        issuing_authority=company.issuing_authority,  # printed, or only in the seal
        address=normalized(company.address),
        valid_from=company.established.isoformat() if company.has_term else None,
        valid_to=(
            None
            if not company.has_term
            else "长期"
            if company.valid_to is None
            else company.valid_to.isoformat()
        ),
        legal_representative=normalized(company.representative),
        entity_type=normalized(company.entity_type),
        registered_capital=normalized(company.registered_capital or "") or None,
        established=company.established.isoformat(),
    )


def fit_scope(scope: str, face: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Wrap the 经营范围, dropping whole items (；-separated) until it fits in max_lines."""
    items = [item + "；" for item in scope.split("；") if item]
    items[-1] = items[-1].removesuffix("；")
    while True:
        lines = wrap_text("".join(items), face, width)
        if len(lines) <= max_lines or len(items) == 1:
            return lines[:max_lines]
        items.pop(0)


class LicensePainter:
    """Draws one license page; keeps the fonts and layout choices together."""

    def __init__(
        self, company: Company, layout: LicenseLayout, rng: random.Random, vector: bool = False
    ) -> None:
        self.company = company
        self.layout = layout
        self.rng = rng
        self.vector = vector
        self.texts: list[TextItem] = []
        self.stamps: list[Stamp] = []
        size = LANDSCAPE_SIZE if layout.orientation == "landscape" else PORTRAIT_SIZE
        paper = (rng.randint(246, 252), rng.randint(243, 250), rng.randint(232, 242))
        self.image = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.image)
        scale = layout.text_scale * (SHANGSHI_TYPE if layout.family == "shangshi" else 1.0)
        self.label_face = font(layout.label_font, int(27 * scale))
        self.value_face = font(layout.value_font, int(27 * scale))
        self.small_face = font(layout.label_font, int(17 * scale))
        self.line_height = int(27 * scale * 1.45)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    def text(
        self, xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont, spacing: float = 0
    ) -> float:
        """Draw (or, for a PDF, record) one run of text; return the x after it."""
        if not self.vector:
            return draw_text(self.draw, xy, text, face, INK, spacing)
        self.texts.append(TextItem(xy[0], xy[1], text, face.size, face.getmetrics()[0], spacing))
        return xy[0] + text_width(text, face, spacing)

    def stamp(self, seal: Image.Image, center: tuple[float, float]) -> None:
        """Blend the seal over the print (or, for a PDF, keep it for the top layer)."""
        if self.vector:
            self.stamps.append(Stamp(seal, center))
        else:
            multiply_onto(self.image, seal, center)

    @property
    def electronic(self) -> bool:
        """The electronic license's render (watermarks, printed authority, no seal)."""
        return self.layout.family == "electronic"

    def paint(self) -> Image.Image:
        """Frame, header, fields, authority with seal, footer (and the render's watermarks)."""
        marked = self.electronic and not self.vector
        if marked:
            self.set_image(electronic.grid(self.image, font("noto_sans_bold", 30)))
        self.frame()
        self.header()
        self.fields()
        self.authority()
        self.footer()
        if marked:
            self.set_image(electronic.diagonal(self.image, font(self.layout.label_font, 150)))
        return paper_noise(self.image, self.rng, 1.2)

    def set_image(self, image: Image.Image) -> None:
        """Draw on `image` from now on."""
        self.image = image
        self.draw = ImageDraw.Draw(self.image)

    def frame(self) -> None:
        """A double border with a chain of small diamonds between the lines."""
        outer, inner = 26, 50
        w, h = self.width, self.height
        self.draw.rectangle((outer, outer, w - outer, h - outer), outline=FRAME, width=5)
        self.draw.rectangle((inner, inner, w - inner, h - inner), outline=FRAME, width=2)
        mid = (outer + inner) // 2
        along_x = [(x, y) for x in range(outer + 14, w - outer - 8, 18) for y in (mid, h - mid)]
        along_y = [(x, y) for y in range(outer + 14, h - outer - 8, 18) for x in (mid, w - mid)]
        for x, y in along_x + along_y:
            self.draw.polygon([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)], fill=FRAME)

    @property
    def shangshi(self) -> bool:
        """The Shenzhen/Zhuhai 商事主体 副本 (samples/generator/shangshi.py)."""
        return self.layout.family == "shangshi"

    def header(self) -> None:
        """Emblem, title, USCC block (top left) and QR block (top right); the 商事主体 副本:
        the USCC on one line under the title, the QR code at the bottom."""
        if self.shangshi:
            self.shangshi_header()
            return
        emblem = make_emblem(110)
        self.image.paste(emblem, (self.width // 2 - 55, 70), emblem)
        title_face = font("serif_bold", 88 if self.layout.orientation == "landscape" else 80)
        spacing = 38
        title_x = (self.width - text_width("营业执照", title_face, spacing)) / 2
        self.text((title_x, 190), "营业执照", title_face, spacing)
        if self.layout.orientation == "portrait":
            copy_face = font(self.layout.label_font, 30)
            copy_x = (self.width - text_width("（副　本）", copy_face)) / 2
            self.text((copy_x, 300), "（副　本）", copy_face)
        self.uscc_block()
        self.qr_block()

    def shangshi_header(self) -> None:
        """Emblem, 营业执照 with (副本) after it, the USCC line right-aligned below."""
        emblem = make_emblem(130)
        self.image.paste(emblem, (self.width // 2 - 65, 60), emblem)
        title_face = font("serif_bold", 110)
        spacing = 40
        title_x = (self.width - text_width("营业执照", title_face, spacing)) / 2 - 30
        title_end = self.text((title_x, 200), "营业执照", title_face, spacing)
        self.text((title_end, 265), "（副本）", font(self.layout.label_font, 30))
        number_face = font(self.rng.choice(["mono", "zenhei", "noto_sans"]), 26)
        label = "统一社会信用代码"
        number = _number(self.company, self.layout)
        right = self.width - 150
        number_x = right - text_width(number, number_face)
        label_x = number_x - 14 - text_width(label, self.small_face_bold)
        self.text((label_x, 352), label, self.small_face_bold)
        self.text((number_x, 350), number, number_face)

    @property
    def small_face_bold(self) -> ImageFont.FreeTypeFont:
        """The USCC label's face on the 商事主体 副本."""
        return font(self.layout.label_font, int(24 * self.layout.text_scale))

    def uscc_block(self) -> None:
        """统一社会信用代码 with its value beside or below (top left area)."""
        number_face = font(self.rng.choice(["mono", "zenhei", "noto_sans"]), 30)
        label = "注册号" if self.layout.legacy else "统一社会信用代码"
        number = _number(self.company, self.layout)
        x = 95
        if self.rng.random() < 0.6:
            y = 110 if self.layout.orientation == "portrait" else self.rng.choice([110, 215])
            self.text((x, y), label, self.label_face)
            self.text((x, y + self.line_height), number, number_face)
        else:
            y = 345 if self.layout.orientation == "portrait" else 140
            end = self.text((x, y + 6), label, self.small_face)
            self.text((end + 14, y), number, number_face)

    def qr_block(self) -> None:
        """A QR-like square with the usual hint text under it (top right)."""
        size = 150
        left = self.width - 95 - size
        self.image.paste(make_qr(size, self.rng), (left, 150))
        hint = "扫描二维码登录国家企业信用信息公示系统了解更多登记、备案、许可、监管信息"
        for index, line in enumerate(wrap_text(hint, self.small_face, size + 30)[:4]):
            self.text((left - 15, 310 + index * 21), line, self.small_face)

    def columns(self) -> list[Column]:
        """Where the field rows go: two columns on the landscape 正本, one on the 副本."""
        top = 400
        if self.layout.orientation == "landscape":
            half = (self.width - 180) // 2
            return [Column(100, top, half - 40, 840), Column(100 + half + 20, top, half - 20, 760)]
        return [Column(100, top, self.width - 200, 1260)]

    def fields(self) -> None:
        """Every (label, value) row, then the 经营范围 filling the remaining space."""
        if self.shangshi:
            self.shangshi_fields()
            return
        rows = license_rows(self.company)
        columns = self.columns()
        if len(columns) == 2:
            split = 3
            placed = [(columns[0], rows[:split]), (columns[1], rows[split:])]
        else:
            placed = [(columns[0], rows)]
        for column, column_rows in placed:
            for label, value in column_rows:
                column.y = self.row(column, label, value)
        scope_column = columns[0]
        self.row(scope_column, "经营范围", self.company.business_scope, fill_to_bottom=True)

    def shangshi_fields(self) -> None:
        """Five rows in large type, labels justified to one width, then the 重要提示 box."""
        column = Column(140, 430, self.width - 300, 1000)
        for label, value in shangshi.shangshi_rows(self.company):
            column.y = self.row(column, label, value, justify=True)
        self.notice_box(max(column.y + 40, 860))

    def notice_box(self, top: int) -> None:
        """The dashed 重要提示 box: the title down its left side, numbered notices right."""
        left, right = 140, self.width - 140
        face = font(self.layout.value_font, int(17 * self.layout.text_scale))
        lines = [
            line
            for notice in shangshi.NOTICES
            for line in wrap_text(notice, face, right - left - 90)
        ]
        bottom = top + 30 + len(lines) * 24
        for x in range(left, right, 14):
            self.draw.line((x, top, x + 7, top), fill=INK, width=1)
            self.draw.line((x, bottom, x + 7, bottom), fill=INK, width=1)
        for y in range(top, bottom, 14):
            self.draw.line((left, y, left, y + 7), fill=INK, width=1)
            self.draw.line((right, y, right, y + 7), fill=INK, width=1)
        title_face = font(self.layout.label_font, 26)
        for index, char in enumerate(shangshi.NOTICE_TITLE):
            self.text((left + 16, top + 14 + index * 34), char, title_face)
        for index, line in enumerate(lines):
            self.text((left + 64, top + 16 + index * 24), line, face)
        self.image.paste(make_qr(150, self.rng), (left + 10, bottom + 40))

    def row(
        self,
        column: Column,
        label: str,
        value: str,
        fill_to_bottom: bool = False,
        justify: bool = False,
    ) -> int:
        """Draw one row; return the y of the next row."""
        shown_label = spaced_label(label) if self.layout.spaced_labels else label
        if justify:
            shown_label = shangshi.justified(label)
        label_end = self.text((column.x, column.y), shown_label, self.label_face)
        if self.layout.value_below_label:
            value_x, value_y = column.x + 30.0, column.y + self.line_height
        else:
            value_x = max(label_end, column.x + text_width("法定代表人", self.label_face)) + 26
            value_y = column.y
        max_width = column.x + column.width - value_x
        lines = wrap_text(value, self.value_face, max_width)
        if fill_to_bottom:
            room = max(int((column.bottom - value_y) // self.line_height), 1)
            lines = fit_scope(value, self.value_face, max_width, room)
        # A form filled in by a misaligned (dot-matrix) printer: the values ride high.
        top = value_y - self.layout.value_shift * self.line_height
        for index, line in enumerate(lines):
            self.text((value_x, top + index * self.line_height), line, self.value_face)
        return int(value_y + len(lines) * self.line_height + self.line_height * 0.45)

    def authority(self) -> None:
        """登记机关 with the authority name (unless seal-only), the date and the red seal."""
        portrait = self.layout.orientation == "portrait"
        center_x = self.width - (330 if not portrait else 300)
        top = self.height - (250 if not portrait else 270)
        big = font(self.layout.label_font, 34)
        label = "登　记　机　关"
        self.text((center_x - text_width(label, big) / 2, top), label, big)
        if self.electronic:
            self.printed_authority(center_x, top + 52)
            return
        lines = [cn_date(self.company.issue_date)]
        if self.layout.authority_printed:
            lines.insert(0, self.company.issuing_authority)
        for index, line in enumerate(lines):
            face = self.value_face
            x = center_x - text_width(line, face) / 2
            self.text((x, top + 58 + index * self.line_height), line, face)
        seal = make_seal(self.company.issuing_authority, 230, self.rng)
        self.stamp(seal, (center_x + self.rng.randint(-20, 20), top + 40))

    def printed_authority(self, center_x: float, top: float) -> None:
        """The electronic render's authority: small, one or two centred lines, then the date."""
        face = font(self.layout.value_font, int(20 * self.layout.text_scale))
        lines = electronic.authority_lines(self.company.issuing_authority)
        for index, line in enumerate(lines):
            self.text((center_x + 60 - text_width(line, face) / 2, top + index * 26), line, face)
        day = self.company.issue_date
        dated = f"{day.year} 年 {day.month:02d}月{day.day:02d}日"
        self.text(
            (center_x - text_width(dated, self.value_face) / 2, top + 70), dated, self.value_face
        )

    def footer(self) -> None:
        """The two fixed notices near the bottom edge (the render: its 说明 block and
        the gsxt / 监制 line; the 商事主体 副本: only the 监制 line)."""
        if self.shangshi:
            credit_x = self.width - 95 - text_width(shangshi.CREDIT, self.small_face)
            self.text((credit_x, self.height - 90), shangshi.CREDIT, self.small_face)
            return
        if self.electronic:
            for index, line in enumerate(electronic.notes(self.company.issue_date, self.rng)):
                self.text((95, self.height - 175 + index * 22), line, self.small_face)
            self.text((95, self.height - 80), FOOTER[0], self.small_face)
            credit = "国家市场监督管理总局监制"
            self.text(
                (self.width - 95 - text_width(credit, self.small_face), self.height - 80),
                credit,
                self.small_face,
            )
            return
        for index, line in enumerate(FOOTER):
            x = (self.width - text_width(line, self.small_face)) / 2
            self.text((x, self.height - 112 + index * 24), line, self.small_face)


def render_license(
    company: Company, layout: LicenseLayout, rng: random.Random
) -> tuple[Image.Image, DocumentFields]:
    """The license as a flat scan-like RGB image, and the fields it shows."""
    image = LicensePainter(company, layout, rng).paint()
    return image, license_fields(company, layout)
