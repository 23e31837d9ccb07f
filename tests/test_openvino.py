"""The OpenVINO engine: the same models and PaddleOCR processing, the same readings."""

import numpy as np
import pytest

from pipeline.ocr.base import OcrEngine
from pipeline.ocr.ctc import read_text
from pipeline.ocr.registry import available_engines, create_engine
from pipeline.settings import Settings
from tests.conftest import TextPageFactory


def test_openvino_is_an_engine_name() -> None:
    assert "openvino" in available_engines()


@pytest.fixture(scope="module")
def openvino_engine() -> OcrEngine:
    return create_engine(Settings(engine="openvino"))


@pytest.mark.ocr
def test_openvino_reads_a_page_as_paddle_does(
    openvino_engine: OcrEngine, paddle_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    page = text_page()
    ours, reference = openvino_engine.read(page), paddle_engine.read(page)
    assert [line.text for line in ours] == [line.text for line in reference]
    for mine, theirs in zip(ours, reference, strict=True):
        assert mine.confidence == pytest.approx(theirs.confidence, abs=1e-3)
        assert mine.ctc is not None and theirs.ctc is not None
        assert read_text(mine.ctc) == read_text(theirs.ctc)
        assert mine.ctc.steps == theirs.ctc.steps
    assert openvino_engine.info.name == "openvino"


@pytest.mark.ocr
def test_openvino_exposes_the_stages(
    openvino_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    layout = openvino_engine.layout()
    assert layout is not None and layout is openvino_engine
    page = text_page()
    boxes = layout.detect(page)
    assert [line.text for line in layout.recognize(page, boxes)] == [
        line.text for line in openvino_engine.read(page)
    ]
    upside_down = np.ascontiguousarray(page[::-1, ::-1])
    angles = layout.line_angles(upside_down, layout.detect(upside_down))
    assert [angle.angle for angle in angles] == [180] * len(boxes)
    assert openvino_engine.read(np.full((600, 800, 3), 255, np.uint8)) == []


@pytest.mark.ocr
def test_staleness_uses_the_info_the_openvino_engine_reports(openvino_engine: OcrEngine) -> None:
    from workers.reprocess import current_engine_info

    assert current_engine_info(Settings(engine="openvino")) == openvino_engine.info
