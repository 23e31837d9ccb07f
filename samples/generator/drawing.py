"""Drawing helpers: spaced text, wrapping, seals, emblems, QR-like squares, backgrounds."""

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from samples.generator.fonts import font

Color = tuple[int, int, int]
SEAL_RED: Color = (214, 38, 40)


def text_width(text: str, face: ImageFont.FreeTypeFont, spacing: float = 0) -> float:
    """Width of `text` drawn with extra `spacing` pixels between characters."""
    return sum(face.getlength(ch) for ch in text) + spacing * max(len(text) - 1, 0)


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    fill: Color,
    spacing: float = 0,
) -> float:
    """Draw text (character by character when spaced); return the x after it."""
    x, y = xy
    if not spacing:
        draw.text((x, y), text, font=face, fill=fill)
        return x + face.getlength(text)
    for ch in text:
        draw.text((x, y), ch, font=face, fill=fill)
        x += face.getlength(ch) + spacing
    return x - spacing


def spaced_label(label: str, width_chars: int = 4) -> str:
    """名称 → 名　　称: pad a short label with ideographic spaces to a fixed width (one
    character short of it: narrow spaces, 主 体 类 型)."""
    if len(label) == width_chars - 1:
        return " ".join(label)
    if len(label) >= width_chars or len(label) < 2:
        return label
    gaps = len(label) - 1
    total = width_chars - len(label)
    parts = [label[0]]
    for index, ch in enumerate(label[1:]):
        share = total // gaps + (1 if index < total % gaps else 0)
        parts.append("\u3000" * share + ch)
    return "".join(parts)


def wrap_text(text: str, face: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Split text into lines no wider than max_width (CJK: any character may break)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and face.getlength(current + ch) > max_width:
            lines.append(current)
            current = ""
        current += ch
    if current:
        lines.append(current)
    return lines


def star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """The ten corners of an upright five-pointed star."""
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _glyph(ch: str, face: ImageFont.FreeTypeFont, color: Color, angle: float) -> Image.Image:
    """One character on a transparent square, rotated by `angle` degrees (counter-clockwise)."""
    size = int(face.size * 1.5)
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((size / 2, size / 2), ch, font=face, fill=(*color, 255), anchor="mm")
    return tile.rotate(angle, resample=Image.Resampling.BICUBIC)


def make_seal(
    text: str, diameter: int, rng: random.Random, font_key: str = "zenhei"
) -> Image.Image:
    """A red round seal: ring, central star and the text along the upper arc (RGBA)."""
    scale = 2
    size = diameter * scale
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    ring = max(int(size * 0.035), 3)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=(*SEAL_RED, 255), width=ring)
    center = size / 2
    draw.polygon(star_points(center, center, size * 0.17, size * 0.068), fill=(*SEAL_RED, 255))
    face = font(font_key, int(size * 0.115))
    radius = size / 2 - ring * 2 - face.size * 0.62
    span = min(250.0, 20.0 * len(text))
    for index, ch in enumerate(text):
        degrees = -90 - span / 2 + span * (index + 0.5) / len(text)
        glyph = _glyph(ch, face, SEAL_RED, -(degrees + 90))
        x = center + radius * math.cos(math.radians(degrees)) - glyph.width / 2
        y = center + radius * math.sin(math.radians(degrees)) - glyph.height / 2
        seal.alpha_composite(glyph, (int(x), int(y)))
    seal = seal.resize((diameter, diameter), Image.Resampling.LANCZOS)
    return _ink_texture(seal, rng).rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)


def _ink_texture(stamp: Image.Image, rng: random.Random) -> Image.Image:
    """Uneven ink: thin the alpha channel in random speckles."""
    generator = np.random.default_rng(rng.getrandbits(32))
    noise = generator.uniform(0.55, 1.0, (stamp.height, stamp.width))
    alpha = np.asarray(stamp.getchannel("A"), dtype=np.float32) * noise * rng.uniform(0.75, 0.95)
    stamp.putalpha(Image.fromarray(alpha.astype(np.uint8)))
    return stamp


def multiply_onto(base: Image.Image, stamp: Image.Image, center: tuple[float, float]) -> None:
    """Stamp an RGBA image onto an RGB one with multiply blending (ink over print)."""
    left = int(center[0] - stamp.width / 2)
    top = int(center[1] - stamp.height / 2)
    box = (left, top, left + stamp.width, top + stamp.height)
    region = np.asarray(base.crop(box), dtype=np.float32)
    rgba = np.asarray(stamp, dtype=np.float32)
    alpha = rgba[..., 3:4] / 255.0
    blended = region * (1 - alpha + alpha * rgba[..., :3] / 255.0)
    base.paste(Image.fromarray(blended.clip(0, 255).astype(np.uint8)), box[:2])


def make_emblem(diameter: int) -> Image.Image:
    """A stylized round national emblem: red disc, golden ring, stars and gate (RGBA)."""
    gold: Color = (226, 178, 60)
    red: Color = (200, 30, 30)
    emblem = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(emblem)
    draw.ellipse((0, 0, diameter - 1, diameter - 1), fill=(*gold, 255))
    inset = diameter * 0.09
    draw.ellipse((inset, inset, diameter - inset, diameter - inset), fill=(*red, 255))
    c = diameter / 2
    draw.polygon(star_points(c, c * 0.62, diameter * 0.13, diameter * 0.05), fill=(*gold, 255))
    for angle in (-60, -25, 25, 60):
        x = c + diameter * 0.25 * math.sin(math.radians(angle))
        y = c * 0.62 - diameter * 0.1 * math.cos(math.radians(angle)) + diameter * 0.08
        draw.polygon(star_points(x, y, diameter * 0.045, diameter * 0.018), fill=(*gold, 255))
    gate_top = diameter * 0.62
    draw.rectangle(
        (c - diameter * 0.22, gate_top, c + diameter * 0.22, gate_top + diameter * 0.12),
        fill=(*gold, 255),
    )
    draw.rectangle(
        (
            c - diameter * 0.26,
            gate_top + diameter * 0.12,
            c + diameter * 0.26,
            gate_top + diameter * 0.16,
        ),
        fill=(*gold, 255),
    )
    return emblem


def make_qr(size: int, rng: random.Random) -> Image.Image:
    """A QR-code-looking square (random modules and three finder patterns), not decodable."""
    modules = 29
    grid = np.array([[rng.random() < 0.5 for _ in range(modules)] for _ in range(modules)])
    for row, col in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        grid[row : row + 7, col : col + 7] = False
        grid[row : row + 7, col] = grid[row : row + 7, col + 6] = True
        grid[row, col : col + 7] = grid[row + 6, col : col + 7] = True
        grid[row + 2 : row + 5, col + 2 : col + 5] = True
    pixels = np.where(grid, 0, 255).astype(np.uint8)
    tile = Image.fromarray(pixels).resize((size, size), Image.Resampling.NEAREST)
    return tile.convert("RGB")


def guilloche(size: tuple[int, int], tint: Color, rng: random.Random) -> Image.Image:
    """A pale security background: tinted paper with fine wavy lines."""
    width, height = size
    image = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(image)
    line: Color = (max(tint[0] - 22, 0), max(tint[1] - 14, 0), max(tint[2] - 6, 0))
    phase = rng.uniform(0, math.tau)
    for row in range(-40, height + 40, 14):
        points = [
            (x, row + 9 * math.sin(x / 37 + phase + row / 90) + 4 * math.sin(x / 11 + row))
            for x in range(0, width + 8, 8)
        ]
        draw.line(points, fill=line, width=1)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def paper_noise(image: Image.Image, rng: random.Random, amount: float = 3.0) -> Image.Image:
    """Add faint grain so flat areas are not perfectly uniform."""
    generator = np.random.default_rng(rng.getrandbits(32))
    noise = generator.standard_normal((image.height, image.width, 1), dtype=np.float32) * amount
    pixels = np.asarray(image, dtype=np.float32) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
