"""The engine reports each line's least sure character, and extraction carries it to evidence."""

import numpy as np
import pytest

from pipeline.fields import extract
from pipeline.ocr.base import OcrEngine, OcrLine
from schemas import DocumentKind
from tests.conftest import TextPageFactory


@pytest.mark.ocr
def test_real_engine_reports_a_weakest_character_no_surer_than_the_line(
    paddle_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    lines = paddle_engine.read(text_page())
    assert lines
    for line in lines:
        assert line.weakest_char is not None
        assert 0.0 <= line.weakest_char <= line.confidence + 1e-6


def test_weak_character_reaches_the_field_evidence() -> None:
    box = [(0.0, 0.0), (400.0, 0.0), (400.0, 30.0), (0.0, 30.0)]

    def at(y: float) -> list[tuple[float, float]]:
        return [(x, v + y) for x, v in box]

    lines = [
        OcrLine("营业执照", 0.99, at(0), weakest_char=0.99),
        OcrLine("名称北京星河云帆科技有限公司", 0.97, at(60), weakest_char=0.71),
        OcrLine("统一社会信用代码91110108MA01R2KX7C", 0.99, at(120), weakest_char=0.95),
    ]
    extraction = extract([lines], DocumentKind.BUSINESS_LICENSE)
    assert extraction.fields.name == "北京星河云帆科技有限公司"
    assert extraction.evidence["name"].weakest_char_confidence == pytest.approx(0.71)
    assert extraction.evidence["name"].confidence == pytest.approx(0.97)
    assert np.isclose(extraction.evidence["number"].weakest_char_confidence or 0, 0.95)
