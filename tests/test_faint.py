"""Faint boxes: kept only by the detector's polygon score, read only when a field is missing."""

from typing import Any

import cv2
import numpy as np
import pytest

from pipeline.ocr.base import OcrEngine
from pipeline.ocr.faint import PolygonScoredBoxes, faint_only
from schemas import Box


def rect(left: float, top: float, right: float, bottom: float) -> Box:
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def test_a_faint_box_is_one_no_kept_box_holds_half_of() -> None:
    kept = [rect(361, 422, 621, 449)]  # the address row under a lost name row
    name_row = rect(330, 383, 559, 426)  # shares 4 of its 43 px of height with the address
    address_again = rect(365, 420, 600, 450)
    assert faint_only([name_row, address_again], kept) == [name_row]


def test_without_kept_boxes_every_polygon_scored_box_is_faint() -> None:
    boxes = [rect(0, 0, 10, 5), rect(0, 20, 10, 25)]
    assert faint_only(boxes, []) == boxes


class RecordingPostprocess:
    """Stands in for PaddleOCR's DBPostProcess: records the score mode of each call."""

    def __init__(self) -> None:
        self.score_mode = "fast"
        self.calls: list[str] = []

    def __call__(self, outputs: dict[str, Any], shape_list: Any) -> list[dict[str, Any]]:
        self.calls.append(self.score_mode)
        return [{"points": np.full((1, 4, 2), len(self.calls), np.float32)}]


def test_the_same_map_is_scored_both_ways_and_the_polygon_boxes_are_taken_once() -> None:
    post = RecordingPostprocess()
    scored = PolygonScoredBoxes(post)
    kept = scored({"maps": None}, None)
    assert kept[0]["points"][0, 0, 0] == 1  # the detector gets the box-scored result
    taken = scored.take()
    assert taken is not None and taken[0, 0, 0] == 2
    assert scored.take() is None
    assert post.calls == ["fast", "slow"]
    assert post.score_mode == "fast"  # the detector's own post-processing is unchanged


@pytest.mark.ocr
def test_a_real_detection_keeps_its_boxes_and_adds_faint_ones_apart(
    paddle_engine: OcrEngine,
) -> None:
    layout = paddle_engine.layout()
    assert layout is not None
    image = cv2.imread("samples/packets/S08-number_mismatch/license.jpg")
    detected = layout.detect_text(image)
    assert detected.boxes == layout.detect(image)
    assert detected.faint, "this photo has a candidate only the polygon score keeps"
    assert faint_only(detected.faint, detected.boxes) == detected.faint
    assert not set(map(tuple, map(tuple, detected.faint))) & set(
        map(tuple, map(tuple, detected.boxes))
    )
