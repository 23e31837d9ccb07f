"""Find a card or page photographed on a darker background and warp it flat."""

import cv2
import numpy as np

PROBE_LONG_SIDE = 480  # the outline is searched on a copy this size (a few ms)
MIN_AREA_SHARE = 0.12  # smaller outlines are more likely a photo on the card than the card
MAX_AREA_SHARE = 0.93  # larger ones are the whole frame: a scan, nothing to correct
MIN_FILL = 0.85  # the contour must fill its quadrilateral (a card, not a ragged blob)
MIN_CONTRAST = 30.0  # gray levels between the document's rim and the background just outside
ASPECT_RANGE = (1.2, 1.8)  # long / short side: ID cards 1.58, licenses (A4, A3) 1.41
BAND = 5  # width in probe pixels of the rims compared inside and outside the outline


def find_document_quad(image: np.ndarray) -> np.ndarray | None:
    """The four corners (clockwise from top-left, image pixels) of a document, or None."""
    height, width = image.shape[:2]
    factor = min(1.0, PROBE_LONG_SIDE / max(height, width))
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    quad = _quadrilateral(outline, gray.shape[0] * gray.shape[1])
    if quad is None or not _document_shaped(quad) or not _stands_out(gray, quad):
        return None
    return order_corners(quad / factor)


def _quadrilateral(outline: np.ndarray, frame_area: int) -> np.ndarray | None:
    """The outline simplified to a convex quadrilateral of reasonable size, or None."""
    area = cv2.contourArea(outline)
    if not MIN_AREA_SHARE * frame_area <= area <= MAX_AREA_SHARE * frame_area:
        return None
    hull = cv2.convexHull(outline)
    perimeter = cv2.arcLength(hull, True)
    for tolerance in (0.02, 0.03, 0.05):
        quad = cv2.approxPolyDP(hull, tolerance * perimeter, True)
        if len(quad) == 4 and cv2.isContourConvex(quad):
            if area >= MIN_FILL * cv2.contourArea(quad):
                return quad.reshape(4, 2).astype(np.float32)
            return None
    return None


def _document_shaped(quad: np.ndarray) -> bool:
    """Whether the quadrilateral has a card's or a page's proportions."""
    top_left, top_right, bottom_right, bottom_left = order_corners(quad)
    width = max(_length(top_right - top_left), _length(bottom_right - bottom_left))
    height = max(_length(bottom_left - top_left), _length(bottom_right - top_right))
    aspect = max(width, height) / max(min(width, height), 1.0)
    return ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]


def _stands_out(gray: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the rim just inside the outline is clearly lighter than just outside it
    (a sharp card edge on a table, not the soft edge of a patch of light)."""
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    kernel = np.ones((2 * BAND + 1, 2 * BAND + 1), np.uint8)
    inner = (mask > 0) & (cv2.erode(mask, kernel) == 0)
    outer = (cv2.dilate(mask, kernel) > 0) & (mask == 0)
    if not inner.any() or not outer.any():
        return False
    return float(np.median(gray[inner])) - float(np.median(gray[outer])) >= MIN_CONTRAST


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points ordered top-left, top-right, bottom-right, bottom-left."""
    center = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - center[1], points[:, 0] - center[0])
    ordered = points[np.argsort(angles)]  # clockwise in image coordinates, from the left
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.roll(ordered, -start, axis=0).astype(np.float32)


def warp_flat(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The quadrilateral's content as an upright rectangle at its largest edge lengths."""
    top_left, top_right, bottom_right, bottom_left = corners
    width = int(max(_length(top_right - top_left), _length(bottom_right - bottom_left)))
    height = int(max(_length(bottom_left - top_left), _length(bottom_right - top_right)))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR)


def _length(vector: np.ndarray) -> float:
    """The Euclidean length of a 2-D vector."""
    return float(np.hypot(vector[0], vector[1]))
