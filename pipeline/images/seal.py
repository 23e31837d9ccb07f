"""Round red seals on a page: find their circles and unwrap the text along the upper arc.

A license's seal carries the registration authority clockwise from its lower left over the
top; its characters stand with their tops outward. Unwrapping maps that arc onto a straight,
upright strip the line recognizer reads like any other text line.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np

from schemas import Box

# Seal ink: red hue (both ends of OpenCV's 0–179 circle), saturated, not too dark.
_RED_LOW_HUE, _RED_HIGH_HUE = 12, 158
_MIN_SATURATION, _MIN_VALUE = 60, 60
# How much redder than green or blue (0–255) paper may be (warm light), and seal ink is.
_PAPER_REDNESS, _INK_REDNESS = 12.0, 30.0
_MIN_INK_DARKNESS = 40.0  # the faintest ink stretched to full black
# Red channel as a share of the paper's: dark print stays below the first, red ink above both.
_PRINT_RED_SHARE, _RED_SHARE_RAMP = 0.4, 0.25
# A seal's diameter as a share of the page's shorter side.
_MIN_DIAMETER, _MAX_DIAMETER = 0.08, 0.45
_MAX_ASPECT = 1.3  # a round seal's bounding box is about square (a photo tilts it a little)
_MIN_RING_COVER = 0.45  # share of the outer ring's angles that carry red ink
_RING_SECTORS = 72
# The arc read: from the lower left (degrees clockwise from the +x axis, image y down)
# over the top to the lower right.
ARC_START, ARC_END = 120.0, 420.0
# Radial bands (share of the radius) that may hold the arc's text, widest first.
TEXT_BANDS: tuple[tuple[float, float], ...] = ((0.5, 0.93), (0.56, 0.88), (0.45, 0.82))


@dataclass(frozen=True)
class SealCircle:
    """A round seal's circle in page pixels."""

    x: float
    y: float
    radius: float

    @property
    def box(self) -> Box:
        """The circle's bounding box, clockwise from the top left."""
        left, top = self.x - self.radius, self.y - self.radius
        right, bottom = self.x + self.radius, self.y + self.radius
        return [(left, top), (right, top), (right, bottom), (left, bottom)]


def red_ink(image: np.ndarray) -> np.ndarray:
    """A 0/255 mask of the red (seal-ink) pixels of a BGR image."""
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    hue, saturation, value = cv2.split(hsv)
    red_hue = (hue <= _RED_LOW_HUE) | (hue >= _RED_HIGH_HUE)
    ink = red_hue & (saturation >= _MIN_SATURATION) & (value >= _MIN_VALUE)
    return ink.astype(np.uint8) * 255


def find_seals(image: np.ndarray) -> list[SealCircle]:
    """The round red stamps of a page (a red ring around most of their circle), largest first."""
    mask = red_ink(image)
    short_side = min(image.shape[:2])
    size = max(3, round(short_side / 120))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals = []
    for contour in contours:
        circle = _round_stamp(contour, mask, short_side)
        if circle is not None:
            seals.append(circle)
    return sorted(seals, key=lambda seal: -seal.radius)


def _round_stamp(contour: np.ndarray, mask: np.ndarray, short_side: int) -> SealCircle | None:
    """The contour's circle when it is the size and shape of a seal with a ring, else None."""
    _left, _top, width, height = cv2.boundingRect(contour)
    if not _MIN_DIAMETER * short_side <= max(width, height) <= _MAX_DIAMETER * short_side:
        return None
    if max(width, height) > _MAX_ASPECT * min(width, height):
        return None
    (x, y), radius = cv2.minEnclosingCircle(contour)
    circle = SealCircle(float(x), float(y), float(radius))
    return circle if ring_cover(mask, circle) >= _MIN_RING_COVER else None


def ring_cover(mask: np.ndarray, circle: SealCircle) -> float:
    """The share of angular sectors with red ink near the circle's edge (a seal's ring)."""
    strip = unwrap(mask, circle, (0.82, 1.0), ARC_START - 120.0, ARC_START + 240.0, _RING_SECTORS)
    return float(np.mean(strip.max(axis=0) > 0))


def unwrap(
    image: np.ndarray,
    circle: SealCircle,
    band: tuple[float, float],
    start: float = ARC_START,
    end: float = ARC_END,
    width: int | None = None,
    fill: int = 0,
) -> np.ndarray:
    """The ring `band` (shares of the radius) between two angles (degrees clockwise from +x)
    as a straight strip: left to right along the arc, the outer edge at the top."""
    inner, outer = circle.radius * band[0], circle.radius * band[1]
    height = max(8, round(outer - inner))
    if width is None:
        width = max(8, round(math.radians(end - start) * (inner + outer) / 2))
    angles = np.radians(np.linspace(start, end, width, dtype=np.float32))
    radii = np.linspace(outer, inner, height, dtype=np.float32)
    map_x = (circle.x + radii[:, None] * np.cos(angles)[None, :]).astype(np.float32)
    map_y = (circle.y + radii[:, None] * np.sin(angles)[None, :]).astype(np.float32)
    border, value = cv2.BORDER_CONSTANT, (fill, fill, fill)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=border, borderValue=value)


def ink_only(image: np.ndarray) -> np.ndarray:
    """A BGR image of the red ink alone, dark on white. The strokes come from the green
    channel (red ink is dark there, at the full resolution of a JPEG's luma); how red a
    pixel is (its chroma, stored at half resolution) only decides what to keep, so the
    black print beside the seal fades to white without blurring the seal's characters."""
    blue, green, red = cv2.split(image.astype(np.float32))
    redness = red - np.maximum(green, blue)
    keep = np.clip((redness - _PAPER_REDNESS) / _INK_REDNESS, 0.0, 1.0)
    keep = cv2.GaussianBlur(keep, (0, 0), 1.5)
    darkness = (255.0 - green) * keep
    inked = darkness[keep > 0.5]
    top = max(float(np.percentile(inked, 95)) if inked.size else 255.0, _MIN_INK_DARKNESS)
    ink = 255 - np.clip(darkness * (255.0 / top), 0, 255).astype(np.uint8)
    return cv2.cvtColor(ink, cv2.COLOR_GRAY2BGR)


def sharp_ink(image: np.ndarray) -> np.ndarray:
    """Red ink dark on white at full resolution: the green channel's strokes (red ink is dark
    there), where the red channel is bright (red ink, paper) — dark print, dark in both, goes
    white. No chroma is used, so a JPEG's half-resolution colour does not blur the strokes."""
    green = image[:, :, 1].astype(np.float32)
    red = image[:, :, 2].astype(np.float32)
    paper = max(float(np.percentile(red, 90)), 1.0)
    keep = np.clip((red / paper - _PRINT_RED_SHARE) / _RED_SHARE_RAMP, 0.0, 1.0)
    keep = cv2.erode(keep, np.ones((3, 3), np.uint8))  # the print's anti-aliased rim too
    darkness = (paper - np.minimum(green, paper)) * keep
    top = max(float(np.percentile(darkness, 99)), _MIN_INK_DARKNESS)
    ink = 255 - np.clip(darkness * (255.0 / top), 0, 255).astype(np.uint8)
    return cv2.cvtColor(ink, cv2.COLOR_GRAY2BGR)


def green_stretched(image: np.ndarray) -> np.ndarray:
    """The green channel, contrast stretched, as BGR (the black print kept)."""
    green = image[:, :, 1]
    low, high = np.percentile(green, (1, 99))
    scale = 255.0 / max(float(high - low), 1.0)
    stretched = np.clip((green.astype(np.float32) - low) * scale, 0, 255).astype(np.uint8)
    return cv2.cvtColor(stretched, cv2.COLOR_GRAY2BGR)


# Sharp strokes first; then the chroma-based ink where a photo's red is weak; then the plain
# green channel (print kept) for seals whose strokes the other two hollow out.
RENDERINGS = (sharp_ink, ink_only, green_stretched)


def seal_strips(image: np.ndarray, circle: SealCircle) -> list[np.ndarray]:
    """The arc text of a seal unwrapped: each text band in each rendering of its ink."""
    margin = round(circle.radius * 1.05)
    left, top = max(0, round(circle.x) - margin), max(0, round(circle.y) - margin)
    crop = image[top : round(circle.y) + margin, left : round(circle.x) + margin]
    local = SealCircle(circle.x - left, circle.y - top, circle.radius)
    return [
        unwrap(render(crop), local, band, fill=255) for band in TEXT_BANDS for render in RENDERINGS
    ]
