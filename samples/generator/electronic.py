"""The electronic business license (电子营业执照) as its official render prints it.

Drawn from how the render looks when applicants upload it: the 2019 landscape layout, but the
登记机关 printed small over two lines where the paper seal would be (no seal), a light grid of
"SCJDGL" watermarks and a large diagonal 电子营业执照 across the page, and a 说明 block with
the print time and the digital signature above the footer.
"""

import random
import string
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont

from samples.generator.drawing import text_width

GRID_TEXT = "SCJDGL"
GRID_INK = (232, 212, 206, 255)
DIAGONAL_TEXT = "电子营业执照"
DIAGONAL_INK = (120, 120, 120, 56)
DIAGONAL_ANGLE = -32  # degrees (PIL: counter-clockwise)
AUTHORITY_CHARS_PER_LINE = 7
SIGNATURE_ALPHABET = string.ascii_letters + string.digits + "+/"


def grid(image: Image.Image, face: ImageFont.FreeTypeFont) -> Image.Image:
    """The page with a light grid of SCJDGL marks (under the print)."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    step_x, step_y = 300, 150
    for row, y in enumerate(range(90, image.height - 60, step_y)):
        for x in range(80 + (row % 2) * step_x // 2, image.width - 120, step_x):
            draw.text((x, y), GRID_TEXT, font=face, fill=GRID_INK)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def diagonal(image: Image.Image, face: ImageFont.FreeTypeFont) -> Image.Image:
    """The page with a large translucent 电子营业执照 across it (over the print)."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    gap = 40
    x = (image.width - text_width(DIAGONAL_TEXT, face, gap)) / 2
    y = image.height / 2 - face.size / 2
    for char in DIAGONAL_TEXT:
        pen.text((x, y), char, font=face, fill=DIAGONAL_INK)
        x += text_width(char, face) + gap
    layer = layer.rotate(DIAGONAL_ANGLE, center=(image.width / 2, image.height / 2))
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def authority_lines(authority: str) -> list[str]:
    """The authority as the render prints it: two short centred lines when long."""
    if len(authority) <= AUTHORITY_CHARS_PER_LINE + 2:
        return [authority]
    cut = len(authority) - max(len(authority) // 2, len(authority) - AUTHORITY_CHARS_PER_LINE - 2)
    return [authority[:cut], authority[cut:]]


def notes(issued: date, rng: random.Random) -> list[str]:
    """The 说明 block: when the render was printed and its digital signature."""
    printed = issued + timedelta(days=rng.randint(0, 900))
    time = f"{rng.randint(8, 20):02d}时{rng.randint(0, 59):02d}分{rng.randint(0, 59):02d}秒"
    signature = "".join(rng.choice(SIGNATURE_ALPHABET) for _ in range(64))
    return [
        "说明：",
        f"1、本营业执照于{printed.year}年{printed.month:02d}月{printed.day:02d}日{time}"
        "通过国家企业信用信息公示系统打印（法定代表人）",
        f"2、数字签名：{signature}",
    ]
