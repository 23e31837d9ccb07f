"""Which way up a page is, from the detector's boxes and the angle classifier on a few lines."""

import math

import cv2
import numpy as np

from pipeline.ocr.base import LayoutEngine
from schemas import Box

LONG_BOX_RATIO = 2.0  # boxes at least this elongated say which way the lines run
CLASSIFIED_LINES = 6  # the angle classifier looks at this many of the longest lines
ROTATIONS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def box_sides(box: Box) -> tuple[float, float]:
    """(top edge, right edge) lengths of a detector box ordered clockwise from top-left."""
    (x0, y0), (x1, y1), (x2, y2) = box[0], box[1], box[2]
    return math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x1, y2 - y1)


def upright_rotation(image: np.ndarray, boxes: list[Box], engine: LayoutEngine) -> int:
    """Degrees clockwise (0/90/180/270) that turn the page's text upright."""
    wide = [box for box in boxes if elongation(box) >= LONG_BOX_RATIO]
    tall = [box for box in boxes if elongation(box) <= 1 / LONG_BOX_RATIO]
    if not wide and not tall:
        return 0
    vertical = len(tall) > len(wide)
    sample = sorted(tall if vertical else wide, key=lambda b: -max(box_sides(b)))
    angles = engine.line_angles(image, sample[:CLASSIFIED_LINES])
    upside_down = sum(a.confidence for a in angles if a.angle == 180)
    upright = sum(a.confidence for a in angles if a.angle != 180)
    flipped = upside_down > upright
    # crops of vertical lines are turned 90° left before classification, so an "upright" verdict
    # on a vertical line means the page was turned 90° right: turning it back is 270° clockwise
    if vertical:
        return 90 if flipped else 270
    return 180 if flipped else 0


def rotate_image(image: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by 0, 90, 180 or 270 degrees."""
    return image if degrees % 360 == 0 else cv2.rotate(image, ROTATIONS[degrees % 360])


def elongation(box: Box) -> float:
    """Top edge / right edge: > 1 for a horizontal line, < 1 for a vertical one."""
    top, right = box_sides(box)
    return top / max(right, 1e-6)
