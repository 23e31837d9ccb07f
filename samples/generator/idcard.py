"""Resident ID card sides (人像面, 国徽面) and a page holding both, with their truth fields."""

import random

from PIL import Image, ImageDraw

from samples.generator.drawing import (
    draw_text,
    guilloche,
    make_emblem,
    paper_noise,
    text_width,
    wrap_text,
)
from samples.generator.fonts import font
from samples.generator.license import normalized
from samples.generator.models import IdCardLayout, Person
from schemas import DocumentFields, NumberKind

CARD_SIZE = (1000, 630)  # 85.6 × 54 mm
LABEL_BLUE = (54, 104, 150)
INK = (22, 22, 26)
TINTS = ((232, 240, 246), (238, 242, 236), (242, 238, 232), (236, 238, 246))


def random_id_layout(rng: random.Random) -> IdCardLayout:
    """A random choice of fonts, tint and text size."""
    return IdCardLayout(
        label_font=rng.choice(["zenhei", "microhei", "noto_sans"]),
        value_font=rng.choice(["noto_sans", "zenhei", "microhei", "noto_serif"]),
        tint=rng.choice(TINTS),
        text_scale=round(rng.uniform(0.94, 1.06), 2),
    )


def id_period(person: Person) -> str:
    """有效期限 as printed: 2015.03.01-2035.03.01 or 2015.03.01-长期."""
    end = "长期" if person.valid_to is None else f"{person.valid_to:%Y.%m.%d}"
    return f"{person.valid_from:%Y.%m.%d}-{end}"


def front_fields(person: Person) -> DocumentFields:
    """What a perfect reader takes from the 人像面."""
    return DocumentFields(
        name=normalized(person.name),
        number=person.id_number,
        number_kind=NumberKind.RESIDENT_ID,
        province=person.province,
        address=normalized(person.address),
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date.isoformat(),
    )


def back_fields(person: Person) -> DocumentFields:
    """What a perfect reader takes from the 国徽面."""
    return DocumentFields(
        province=person.province,
        issuing_authority=person.issuing_authority,
        valid_from=person.valid_from.isoformat(),
        valid_to="长期" if person.valid_to is None else person.valid_to.isoformat(),
    )


def _card_base(layout: IdCardLayout, rng: random.Random) -> Image.Image:
    """A blank card: tinted guilloche with rounded corners on white."""
    card = guilloche(CARD_SIZE, layout.tint, rng)
    mask = Image.new("L", CARD_SIZE, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, CARD_SIZE[0] - 1, CARD_SIZE[1] - 1), 42, fill=255)
    base = Image.new("RGB", CARD_SIZE, (255, 255, 255))
    base.paste(card, (0, 0), mask)
    return base


def _photo_box(draw: ImageDraw.ImageDraw, left: int, top: int) -> None:
    """The portrait area: a grey box with a plain silhouette."""
    width, height = 280, 350
    draw.rectangle((left, top, left + width, top + height), fill=(214, 216, 220))
    cx = left + width // 2
    draw.ellipse((cx - 70, top + 50, cx + 70, top + 210), fill=(150, 152, 158))
    draw.pieslice((cx - 135, top + 215, cx + 135, top + 470), 180, 360, fill=(150, 152, 158))


def render_id_front(
    person: Person, rng: random.Random, layout: IdCardLayout | None = None
) -> tuple[Image.Image, DocumentFields]:
    """The 人像面 and the fields it shows."""
    layout = layout or random_id_layout(rng)
    card = _card_base(layout, rng)
    draw = ImageDraw.Draw(card)
    scale = layout.text_scale
    label = font(layout.label_font, int(28 * scale))
    value = font(layout.value_font, int(34 * scale))
    x_label, x_value = 70, 178
    draw_text(draw, (x_label, 72), "姓　名", label, LABEL_BLUE)
    draw_text(draw, (x_value, 66), person.name, font(layout.value_font, int(38 * scale)), INK)
    draw_text(draw, (x_label, 152), "性　别", label, LABEL_BLUE)
    draw_text(draw, (x_value, 148), person.gender, value, INK)
    draw_text(draw, (x_value + 140, 152), "民　族", label, LABEL_BLUE)
    draw_text(draw, (x_value + 250, 148), person.ethnicity, value, INK)
    draw_text(draw, (x_label, 232), "出　生", label, LABEL_BLUE)
    x = draw_text(draw, (x_value, 228), str(person.birth_date.year), value, INK)
    for number, unit in ((person.birth_date.month, "年"), (person.birth_date.day, "月")):
        x = draw_text(draw, (x + 14, 232), unit, label, LABEL_BLUE)
        x = draw_text(draw, (x + 14, 228), str(number), value, INK)
    draw_text(draw, (x + 14, 232), "日", label, LABEL_BLUE)
    draw_text(draw, (x_label, 312), "住　址", label, LABEL_BLUE)
    for index, line in enumerate(wrap_text(person.address, value, 400)[:3]):
        draw_text(draw, (x_value, 308 + index * 50), line, value, INK)
    draw_text(draw, (x_label, 530), "公民身份号码", label, LABEL_BLUE)
    number_face = font("mono", int(40 * scale))
    draw_text(draw, (330, 524), person.id_number, number_face, INK, spacing=4)
    _photo_box(draw, 650, 70)
    return paper_noise(card, rng, 2.5), front_fields(person)


def render_id_back(
    person: Person, rng: random.Random, layout: IdCardLayout | None = None
) -> tuple[Image.Image, DocumentFields]:
    """The 国徽面 and the fields it shows."""
    layout = layout or random_id_layout(rng)
    card = _card_base(layout, rng)
    draw = ImageDraw.Draw(card)
    emblem = make_emblem(170)
    card.paste(emblem, (70, 55), emblem)
    heading = font("serif_bold", 50)
    draw_text(draw, (320, 90), "中华人民共和国", heading, INK, spacing=12)
    title = font("serif_bold", 78)
    draw_text(draw, (300, 190), "居民身份证", title, INK, spacing=26)
    label = font(layout.label_font, int(28 * layout.text_scale))
    value = font(layout.value_font, int(32 * layout.text_scale))
    authority_face = value
    if text_width(person.issuing_authority, value) > 560:
        authority_face = font(layout.value_font, int(26 * layout.text_scale))
    draw_text(draw, (230, 420), "签发机关", label, INK)
    draw_text(draw, (400, 416), person.issuing_authority, authority_face, INK)
    draw_text(draw, (230, 500), "有效期限", label, INK)
    draw_text(draw, (400, 496), id_period(person), value, INK)
    return paper_noise(card, rng, 2.5), back_fields(person)


def render_id_both(person: Person, rng: random.Random) -> tuple[Image.Image, DocumentFields]:
    """A copy page with the front above the back (white or light grey paper)."""
    layout = random_id_layout(rng)
    front, front_truth = render_id_front(person, rng, layout)
    back, back_truth = render_id_back(person, rng, layout)
    shade = rng.choice([255, 250, 243])
    page = Image.new("RGB", (1240, 1754), (shade, shade, shade))
    left = (page.width - CARD_SIZE[0]) // 2 + rng.randint(-40, 40)
    page.paste(front, (left, 220 + rng.randint(-30, 30)))
    page.paste(back, (left, 1000 + rng.randint(-30, 30)))
    merged = front_truth.model_copy(
        update={
            "issuing_authority": back_truth.issuing_authority,
            "valid_from": back_truth.valid_from,
            "valid_to": back_truth.valid_to,
        }
    )
    return paper_noise(page, rng, 2.0), merged
