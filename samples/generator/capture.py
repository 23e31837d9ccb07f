"""Capture modes: how a rendered document becomes the bytes an applicant uploads."""

import io
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageFilter

from samples.generator.models import CaptureMode

# Bench cycles these; BLURRY, PDF_*, CORRUPT are set by particular scenarios only.
CAPTURE_MODES: list[str] = [
    CaptureMode.SCAN,
    CaptureMode.PHOTO,
    CaptureMode.ROT90,
    CaptureMode.ROT180,
    CaptureMode.ROT270,
    CaptureMode.LOW_RES,
    CaptureMode.HARD,
]
ROTATIONS = {CaptureMode.ROT90: 90, CaptureMode.ROT180: 180, CaptureMode.ROT270: 270}
# EXIF Orientation that makes content turned N degrees clockwise upright again.
EXIF_FOR_ROTATION = {90: 8, 180: 3, 270: 6}
TABLE_COLORS = ((96, 70, 48), (70, 72, 76), (52, 74, 60), (120, 96, 70), (40, 40, 44))


@dataclass(frozen=True)
class CapturedImage:
    """Encoded image bytes and how the content sits in them."""

    data: bytes
    rotation: int = 0
    exif_orientation: int | None = None


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def encode_jpeg(image: Image.Image, quality: int, exif_orientation: int | None = None) -> bytes:
    """JPEG bytes, optionally tagged with an EXIF Orientation."""
    buffer = io.BytesIO()
    if exif_orientation is None:
        image.save(buffer, format="JPEG", quality=quality)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(buffer, format="JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def scanned(image: Image.Image, rng: random.Random) -> Image.Image:
    """A flatbed scan: thin white margin, a fraction of a degree of tilt, faint grain."""
    margin = int(min(image.size) * 0.02)
    page = Image.new("RGB", (image.width + 2 * margin, image.height + 2 * margin), (250, 250, 250))
    page.paste(image, (margin, margin))
    page = page.rotate(
        rng.uniform(-0.4, 0.4), resample=Image.Resampling.BICUBIC, fillcolor=(250, 250, 250)
    )
    return page.resize(image.size, Image.Resampling.LANCZOS)


def uneven_light(pixels: np.ndarray, rng: random.Random, low: float = 0.72) -> np.ndarray:
    """Multiply by a lighting field: a linear fall-off plus a soft bright spot."""
    height, width = pixels.shape[:2]
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (xs / width) * np.float32(np.cos(angle)) + (ys / height) * np.float32(np.sin(angle))
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    spread = np.float32(2 * (0.35 * width) ** 2)
    spot = np.exp(-((xs - cx) ** 2) / spread) * np.exp(-((ys - cy) ** 2) / spread)
    field = low + (1.02 - low) * ramp + 0.08 * spot
    return np.clip(pixels.astype(np.float32) * field[..., None], 0, 255)


def _gaussian(rng: random.Random, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """float32 Gaussian noise."""
    return _np_rng(rng).standard_normal(shape, dtype=np.float32) * np.float32(sigma)


def _table(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A dark tabletop with grain, as BGR float pixels."""
    width, height = size
    color = np.array(rng.choice(TABLE_COLORS)[::-1], dtype=np.float32)
    grain = _gaussian(rng, (height, 1, 1), 7)
    noise = _gaussian(rng, (height, width, 1), 4)
    return color[None, None, :] + grain + noise


def photographed(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo: perspective on a table, uneven light, slight blur and noise."""
    document = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR).astype(np.float32)
    h, w = document.shape[:2]
    canvas_w, canvas_h = int(w * 1.25), int(h * 1.25)
    fill = rng.uniform(0.76, 0.86)
    jitter = 0.035
    left, top = (canvas_w - w * fill) / 2, (canvas_h - h * fill) / 2
    corners = [
        (left, top),
        (left + w * fill, top),
        (left + w * fill, top + h * fill),
        (left, top + h * fill),
    ]
    moved = [
        (x + rng.uniform(-jitter, jitter) * w, y + rng.uniform(-jitter, jitter) * h)
        for x, y in corners
    ]
    target = np.array(moved, dtype=np.float32)
    source = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(document, matrix, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR)
    flat_mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (canvas_w, canvas_h))
    shadow = cv2.GaussianBlur(flat_mask, (0, 0), 9)[..., None] * 0.35
    mask = flat_mask[..., None]
    table = _table((canvas_w, canvas_h), rng) * (1 - shadow)
    pixels = warped * mask + table * (1 - mask)
    pixels = uneven_light(pixels, rng)
    pixels = cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.6, 1.0))
    pixels += _gaussian(rng, pixels.shape, 3)
    rgb = cv2.cvtColor(np.clip(pixels, 0, 255).astype(np.uint8), cv2.COLOR_BGR2RGB)
    return Image.fromarray(rgb)


def half_resolution(image: Image.Image) -> Image.Image:
    """Halve both sides."""
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.BOX)


def hard(image: Image.Image, rng: random.Random) -> Image.Image:
    """Half resolution, 5° skew on grey, uneven light."""
    skewed = image.rotate(
        rng.choice([-5.0, 5.0]),
        resample=Image.Resampling.BICUBIC,
        expand=True,
        fillcolor=(205, 205, 205),
    )
    small = half_resolution(skewed)
    lit = uneven_light(np.asarray(small), rng, low=0.62)
    return Image.fromarray(lit.astype(np.uint8))


def blurry(image: Image.Image) -> Image.Image:
    """Small and soft, yet legible: half size and a Gaussian blur (σ 1 px)."""
    return half_resolution(image).filter(ImageFilter.GaussianBlur(1.0))


def capture_document(image: Image.Image, mode: CaptureMode, rng: random.Random) -> CapturedImage:
    """Encode a rendered document as it would arrive in the given capture mode."""
    if mode == CaptureMode.SCAN:
        return CapturedImage(encode_jpeg(scanned(image, rng), 75))
    if mode == CaptureMode.PHOTO:
        return CapturedImage(encode_jpeg(photographed(image, rng), rng.randint(60, 85)))
    if mode in ROTATIONS:
        degrees = ROTATIONS[mode]
        turned = photographed(image, rng).rotate(-degrees, expand=True)
        exif = EXIF_FOR_ROTATION[degrees] if rng.random() < 0.3 else None
        return CapturedImage(encode_jpeg(turned, rng.randint(60, 85), exif), degrees, exif)
    if mode == CaptureMode.LOW_RES:
        return CapturedImage(encode_jpeg(half_resolution(scanned(image, rng)), 50))
    if mode == CaptureMode.HARD:
        return CapturedImage(encode_jpeg(hard(image, rng), 30))
    if mode == CaptureMode.BLURRY:
        return CapturedImage(encode_jpeg(blurry(image), 70))
    raise ValueError(f"{mode} is not an image capture mode")


def capture(image: Image.Image, mode: str, rng: random.Random) -> bytes:
    """The uploaded bytes of a rendered document in the given capture mode."""
    return capture_document(image, CaptureMode(mode), rng).data


def corrupt_bytes(data: bytes, rng: random.Random) -> bytes:
    """A broken upload: zero bytes, or a JPEG cut off inside its header."""
    return b"" if rng.random() < 0.4 else data[: rng.randint(120, 400)]
