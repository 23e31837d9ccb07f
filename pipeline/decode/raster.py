"""Image files → a page: sniffed decoder only, pixel limit before decoding, 8-bit BGR out."""

import logging
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

import numpy as np
from PIL import Image

from pipeline.decode.pages import DecodedPage, check_pixels
from pipeline.decode.sniff import FileType
from pipeline.errors import DocumentError, FilingCheckError, LimitExceededError
from pipeline.settings import Settings

log = logging.getLogger(__name__)

# only the decoder of the sniffed type may run (never one PIL guesses from other bytes)
PIL_FORMATS = {
    FileType.JPEG: ["JPEG", "MPO"],
    FileType.PNG: ["PNG"],
    FileType.BMP: ["BMP"],
    FileType.TIFF: ["TIFF"],
    FileType.WEBP: ["WEBP"],
    FileType.GIF: ["GIF"],
}
EXIF_ORIENTATION_TAG = 0x0112
# EXIF orientation → the transpose that makes the picture upright (as ImageOps.exif_transpose)
EXIF_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# EXIF orientation → degrees clockwise that the transpose turns the picture (mirroring ignored)
EXIF_ROTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 270, 6: 90, 7: 90, 8: 270}


def decode_image(data: bytes, file_type: FileType, settings: Settings) -> DecodedPage:
    """One image file as a page: pixel limit checked before the pixels are decoded."""
    with image_errors(file_type) as caught:
        picture = Image.open(BytesIO(data), formats=PIL_FORMATS[file_type])
        stored_size = picture.size
        check_pixels(stored_size, settings.max_pixels)
        notes = _frame_notes(picture)
        reduce_while_decoding(picture, settings.max_side)
        picture.load()
        exif_damage = [str(w.message).strip() for w in caught if "EXIF" in str(w.message)]
        orientation, exif_notes = exif_orientation(picture, exif_damage)
        image = to_bgr(upright(picture, orientation))
    rotation = EXIF_ROTATION[orientation]
    return DecodedPage(0, image, [], stored_size, rotation, notes + exif_notes)


def upright(picture: Image.Image, orientation: int) -> Image.Image:
    """The picture turned (and mirrored) as its EXIF orientation says; the EXIF block itself
    is never re-serialized (ImageOps.exif_transpose does, and fails on mistyped tags)."""
    transpose = EXIF_TRANSPOSE.get(orientation)
    return picture if transpose is None else picture.transpose(transpose)


def reduce_while_decoding(picture: Image.Image, max_side: int) -> None:
    """Let a large JPEG decode at 1/2, 1/4 or 1/8 size, never below max_side (a 12 MP phone
    photo decodes about four times faster); other formats decode in full."""
    width, height = picture.size
    factor = max_side / max(width, height)
    if picture.format in ("JPEG", "MPO") and factor <= 0.5:
        picture.draft("RGB", (math.ceil(width * factor), math.ceil(height * factor)))


def to_bgr(picture: Image.Image) -> np.ndarray:
    """Any PIL mode (CMYK, 16-bit, palette, gray, alpha) as a contiguous 8-bit BGR array."""
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        gray = to_8bit(np.asarray(picture))
        return np.ascontiguousarray(np.dstack([gray, gray, gray]))
    if picture.mode in ("RGBA", "LA", "PA", "P", "La", "RGBa") or "transparency" in picture.info:
        picture = flatten_alpha(picture)
    rgb = np.asarray(picture.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def to_8bit(values: np.ndarray) -> np.ndarray:
    """16-bit, 32-bit or float gray levels scaled to 0–255."""
    if values.dtype.kind == "f":
        top = 1.0 if float(np.nanmax(values, initial=0.0)) <= 1.0 else 255.0
        return np.clip(np.nan_to_num(values) * (255.0 / top), 0, 255).astype(np.uint8)
    top = 255 if int(values.max(initial=0)) <= 255 else 65535
    return (np.clip(values, 0, top).astype(np.uint32) * 255 // top).astype(np.uint8)


def flatten_alpha(picture: Image.Image) -> Image.Image:
    """Transparent pixels on white, as scanners and viewers show them."""
    rgba = picture.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _frame_notes(picture: Image.Image) -> tuple[str, ...]:
    """A note when a multi-frame TIFF or an animated WebP or GIF is reduced to its first frame."""
    frames = int(getattr(picture, "n_frames", 1))
    if frames <= 1:
        return ()
    note = f"the file has {frames} frames; only the first was read"
    log.info(note)
    return (note,)


def exif_orientation(picture: Image.Image, damage: list[str]) -> tuple[int, tuple[str, ...]]:
    """The EXIF orientation (1 = as stored), with a note when the EXIF block (damage: what
    Pillow warned while parsing it) or its orientation value is unusable and so ignored."""
    try:
        value = picture.getexif().get(EXIF_ORIENTATION_TAG)
    except Exception as e:  # a broken EXIF block must not cost the picture
        return 1, (_ignored_orientation(f"the EXIF block is unreadable ({type(e).__name__})"),)
    if value is None and damage:
        return 1, (_ignored_orientation(f"the EXIF block is damaged ({damage[0]})"),)
    if value is None:
        return 1, ()
    if isinstance(value, int) and value in EXIF_ROTATION:
        return value, ()
    return 1, (_ignored_orientation(f"the EXIF orientation {str(value)[:20]!r} is not 1–8"),)


def _ignored_orientation(problem: str) -> str:
    """The note (also logged) that the EXIF orientation was ignored, and why."""
    note = f"{problem}; the picture is read as stored"
    log.info(note)
    return note


@contextmanager
def image_errors(file_type: FileType) -> Iterator[list[warnings.WarningMessage]]:
    """Convert PIL's errors on bad data into DocumentError / LimitExceededError; Pillow's
    other warnings (corrupt EXIF, …) are collected in the list yielded, and logged."""
    name = file_type.upper()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield caught
        for warning in caught:
            log.info("%s image: %s", name, warning.message)
    except FilingCheckError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise LimitExceededError(f"the {name} image is too large to decode: {e}") from e
    except Exception as e:
        raise DocumentError(
            f"the {name} image is truncated or damaged and cannot be decoded ({e})"
        ) from e
