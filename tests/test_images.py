"""Image normalization: scale, perspective, orientation, quality measures and issues."""

import random
import unicodedata

import cv2
import numpy as np
import pytest

from pipeline.decode import decode_document
from pipeline.images.normalize import make_preview, normalize, with_resolution_issue
from pipeline.images.orientation import rotate_image
from pipeline.images.perspective import find_document_quad, warp_flat
from pipeline.images.quality import BLUR_THRESHOLD, capture_issues, measure
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.fake import FakeEngine
from pipeline.settings import Settings
from samples.generator import CaptureMode, capture_document, make_person, render_id_both
from schemas import DocumentKind, QualityIssue
from tests.conftest import CaptureFactory, TextPageFactory

SETTINGS = Settings()
KINDS = list(DocumentKind)
NO_LAYOUT = FakeEngine()  # an engine without a detector: no orientation check


def on_table(page: np.ndarray, corners: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The page warped onto the given corners of a dark, grainy table of size (w, h)."""
    height, width = page.shape[:2]
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    table = np.random.default_rng(3).normal(70, 6, (size[1], size[0], 3)).clip(0, 255)
    warped = cv2.warpPerspective(page, matrix, size).astype(np.float64)
    mask = cv2.warpPerspective(np.ones((height, width), np.float64), matrix, size)[..., None]
    return (warped * mask + table * (1 - mask)).astype(np.uint8)


def test_blur_measure_separates_sharp_from_blurred(text_page: TextPageFactory) -> None:
    sharp = text_page()
    blurred = cv2.GaussianBlur(sharp, (0, 0), 3)
    assert measure(sharp).blur > 10 * BLUR_THRESHOLD
    assert measure(blurred).blur < BLUR_THRESHOLD
    assert QualityIssue.BLUR in capture_issues(measure(blurred))
    assert capture_issues(measure(sharp)) == []


def test_a_blown_out_highlight_on_off_white_paper_is_glare(text_page: TextPageFactory) -> None:
    page = text_page(paper=(205, 210, 212))
    cv2.ellipse(page, (800, 500), (380, 230), 0, 0, 360, (255, 255, 255), -1)  # 16 % of it
    assert QualityIssue.GLARE in capture_issues(measure(page))


def test_white_paper_is_not_glare(text_page: TextPageFactory) -> None:
    page = text_page(paper=(255, 255, 255))
    assert measure(page).glare == 0.0
    assert QualityIssue.GLARE not in capture_issues(measure(page))


def test_a_dark_capture_is_dark(text_page: TextPageFactory) -> None:
    dark = (text_page().astype(np.float64) * 0.2).astype(np.uint8)
    assert QualityIssue.DARK in capture_issues(measure(dark))


def test_large_images_are_scaled_to_max_side(text_page: TextPageFactory) -> None:
    page = normalize(text_page(size=(3200, 2200), font_size=72), NO_LAYOUT, Settings(max_side=1600))
    assert page.image.shape[:2] == (1100, 1600)
    assert page.quality.scale == pytest.approx(0.5)
    assert (page.quality.width, page.quality.height) == (3200, 2200)
    assert page.document_long_side == pytest.approx(3200)


def test_a_photographed_page_is_found_and_flattened(text_page: TextPageFactory) -> None:
    corners = np.array([[260, 180], [1700, 120], [1760, 1110], [220, 1180]], dtype=np.float32)
    photo = on_table(text_page(), corners, (2000, 1400))
    found = find_document_quad(photo)
    assert found is not None
    assert np.abs(found - corners).max() < 12  # within a few pixels of the true corners
    flat = warp_flat(photo, found)
    assert flat.shape[1] / flat.shape[0] == pytest.approx(1600 / 1100, rel=0.06)


def test_a_clean_scan_is_left_alone(text_page: TextPageFactory) -> None:
    page = normalize(text_page(), NO_LAYOUT, SETTINGS)
    assert not page.quality.perspective_corrected
    assert page.image.shape[:2] == (1100, 1600)


def test_a_soft_patch_of_light_is_not_a_document(text_page: TextPageFactory) -> None:
    page = text_page().astype(np.float64)
    light = np.linspace(0.55, 1.0, page.shape[1])[None, :, None]  # a fall-off across the page
    assert find_document_quad((page * light).astype(np.uint8)) is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", [CaptureMode.SCAN, CaptureMode.PHOTO])
def test_clean_scans_and_normal_photos_have_no_quality_issues(
    capture: CaptureFactory, kind: DocumentKind, mode: CaptureMode
) -> None:
    shot, _ = capture(kind, mode, 1)
    [decoded] = decode_document(shot.data, "capture.jpg", SETTINGS)
    page = normalize(decoded.image, NO_LAYOUT, SETTINGS)
    quality = with_resolution_issue(page.quality, kind)
    assert quality.issues == []
    assert quality.perspective_corrected is (mode is CaptureMode.PHOTO)


@pytest.mark.parametrize("seed", [4, 7])
@pytest.mark.parametrize("mode", [CaptureMode.PHOTO, CaptureMode.ROT90])
def test_a_photographed_copy_of_both_id_sides_keeps_the_whole_page(
    seed: int, mode: CaptureMode
) -> None:
    rng = random.Random(seed)
    page_image, _ = render_id_both(make_person(rng, "浙江省"), rng)
    shot = capture_document(page_image, mode, random.Random(seed))
    [decoded] = decode_document(shot.data, "both.jpg", SETTINGS)
    page = normalize(decoded.image, NO_LAYOUT, SETTINGS)
    long_side, short_side = max(page.image.shape[:2]), min(page.image.shape[:2])
    assert page.quality.perspective_corrected
    assert long_side / short_side == pytest.approx(1754 / 1240, rel=0.08)  # the A4 copy, not a card
    assert page.quality.issues == []  # its white paper clips in the light, which is not glare


@pytest.mark.parametrize("kind", KINDS)
def test_blurry_captures_have_an_issue(capture: CaptureFactory, kind: DocumentKind) -> None:
    shot, _ = capture(kind, CaptureMode.BLURRY, 1)
    [decoded] = decode_document(shot.data, "capture.jpg", SETTINGS)
    quality = with_resolution_issue(normalize(decoded.image, NO_LAYOUT, SETTINGS).quality, kind)
    assert {QualityIssue.BLUR, QualityIssue.LOW_RESOLUTION} & set(quality.issues)


@pytest.mark.parametrize("kind", KINDS)
def test_low_resolution_captures_are_low_resolution(
    capture: CaptureFactory, kind: DocumentKind
) -> None:
    shot, _ = capture(kind, CaptureMode.LOW_RES, 1)
    [decoded] = decode_document(shot.data, "capture.jpg", SETTINGS)
    quality = with_resolution_issue(normalize(decoded.image, NO_LAYOUT, SETTINGS).quality, kind)
    assert QualityIssue.LOW_RESOLUTION in quality.issues


def test_preview_is_a_jpeg_no_longer_than_1400_px(text_page: TextPageFactory) -> None:
    preview = make_preview(text_page(size=(2800, 1000)))
    assert preview.jpeg.startswith(b"\xff\xd8") and (preview.width, preview.height) == (1400, 500)
    assert preview.scale == 0.5


@pytest.mark.ocr
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", [CaptureMode.ROT90, CaptureMode.ROT180, CaptureMode.ROT270])
def test_rotated_captures_are_turned_upright(
    capture: CaptureFactory, paddle_engine: OcrEngine, kind: DocumentKind, mode: CaptureMode
) -> None:
    shot, _ = capture(kind, mode, 2)
    [decoded] = decode_document(shot.data, "capture.jpg", SETTINGS)
    still_turned = 0 if shot.exif_orientation else shot.rotation  # EXIF may have undone it
    page = normalize(decoded.image, paddle_engine, SETTINGS)
    assert (page.quality.rotation_applied + still_turned) % 360 == 0


@pytest.mark.ocr
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_turned_by_hand_is_turned_back(
    text_page: TextPageFactory, paddle_engine: OcrEngine, degrees: int
) -> None:
    upright = text_page()
    page = normalize(rotate_image(upright, degrees), paddle_engine, SETTINGS)
    assert page.quality.rotation_applied == 360 - degrees
    assert np.array_equal(page.image, upright)


@pytest.mark.ocr
def test_a_photographed_license_is_flattened_and_read(
    capture: CaptureFactory, paddle_engine: OcrEngine
) -> None:
    shot, truth = capture(DocumentKind.BUSINESS_LICENSE, CaptureMode.PHOTO, 1)
    [decoded] = decode_document(shot.data, "license.jpg", SETTINGS)
    page = normalize(decoded.image, paddle_engine, SETTINGS)
    assert page.quality.perspective_corrected and page.quality.rotation_applied == 0
    assert page.text_boxes
    lines = paddle_engine.read(page.image)
    text = unicodedata.normalize("NFKC", "".join(line.text for line in lines))
    assert truth.name and truth.name in text
