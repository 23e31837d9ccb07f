"""OCR engines: the registry, per-thread engines, the fake engine, and PaddleOCR itself."""

import threading
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import EngineError
from pipeline.images.orientation import rotate_image
from pipeline.ocr.base import OcrEngine, OcrLine, reading_order
from pipeline.ocr.fake import SCRIPT_VARIABLE, FakeEngine, FakeLine, FakeScript
from pipeline.ocr.paddle import engine_errors, model_paths
from pipeline.ocr.registry import available_engines, create_engine, engine_for_thread
from pipeline.settings import Settings
from tests.conftest import LICENSE_LINES, TextPageFactory


def line(text: str, left: float, top: float, width: float = 100, height: float = 20) -> OcrLine:
    """An axis-aligned line at (left, top)."""
    box = [(left, top), (left + width, top), (left + width, top + height), (left, top + height)]
    return OcrLine(text, 0.99, box)


def test_an_unknown_engine_name_lists_the_engines_that_exist() -> None:
    with pytest.raises(EngineError, match=r"'tesseract'.*fake, openvino, paddleocr"):
        create_engine(Settings(engine="tesseract"))
    assert available_engines() == ["fake", "openvino", "paddleocr"]


def test_the_fake_engine_reads_its_script_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "script.json"
    script.write_text('{"lines": [{"text": "名称 甲乙丙", "confidence": 0.8}]}', encoding="utf-8")
    monkeypatch.setenv(SCRIPT_VARIABLE, str(script))
    engine = create_engine(Settings(engine="fake"))
    [read] = engine.read(np.zeros((10, 10, 3), np.uint8))
    assert (read.text, read.confidence) == ("名称 甲乙丙", 0.8)


def test_the_fake_engine_without_a_script_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCRIPT_VARIABLE, raising=False)
    assert create_engine(Settings(engine="fake")).read(np.zeros((4, 4, 3), np.uint8)) == []


def test_a_broken_fake_script_is_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "script.json"
    script.write_text('{"lines": "not a list"}', encoding="utf-8")
    monkeypatch.setenv(SCRIPT_VARIABLE, str(script))
    with pytest.raises(EngineError, match="unusable"):
        create_engine(Settings(engine="fake"))


def test_the_fake_engine_can_crash_and_be_slow() -> None:
    crashing = FakeEngine(FakeScript(fail="simulated crash"))
    with pytest.raises(EngineError, match="simulated crash"):
        crashing.read(np.zeros((4, 4, 3), np.uint8))
    slow = FakeEngine(FakeScript(lines=[FakeLine(text="甲")], sleep_seconds=0.2))
    started = time.monotonic()
    assert [found.text for found in slow.read(np.zeros((4, 4, 3), np.uint8))] == ["甲"]
    assert time.monotonic() - started >= 0.2 and slow.calls == 1


def test_each_thread_gets_its_own_engine_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCRIPT_VARIABLE, raising=False)
    settings = Settings(engine="fake")
    mine = engine_for_thread(settings)
    assert engine_for_thread(settings) is mine
    theirs: list[OcrEngine] = []
    worker = threading.Thread(target=lambda: theirs.extend([engine_for_thread(settings)] * 2))
    worker.start()
    worker.join()
    assert theirs[0] is theirs[1] and theirs[0] is not mine


def test_missing_model_files_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=rf"missing in {tmp_path}.*ch_PP-OCRv4_det_infer"):
        model_paths(tmp_path)


def test_the_bundled_models_are_found() -> None:
    paths = model_paths(None)
    assert (paths.det / "inference.pdiparams").is_file() and paths.char_dict.is_file()


def test_library_exceptions_become_engine_errors() -> None:
    expected = pytest.raises(EngineError, match="recognition failed: ValueError: bad shape")
    with expected as caught, engine_errors("recognition"):
        raise ValueError("bad shape")
    assert isinstance(caught.value.__cause__, ValueError)


def test_reading_order_is_rows_top_to_bottom_then_left_to_right() -> None:
    lines = [line("右", 400, 102), line("下", 10, 200), line("左", 10, 100), line("上", 10, 10)]
    assert [found.text for found in reading_order(lines)] == ["上", "左", "右", "下"]


@pytest.mark.ocr
def test_paddle_reads_a_printed_page_in_reading_order(
    paddle_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    lines = paddle_engine.read(text_page())
    texts = [unicodedata.normalize("NFKC", found.text).replace(" ", "") for found in lines]
    assert texts == [expected.replace(" ", "") for expected in LICENSE_LINES]
    assert min(found.confidence for found in lines) > 0.9
    assert paddle_engine.info.name == "paddleocr" and paddle_engine.info.version == "2.10.0"


@pytest.mark.ocr
def test_paddle_exposes_detection_angles_and_recognition(
    paddle_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    assert paddle_engine.layout() is paddle_engine
    page = text_page()
    boxes = paddle_engine.detect(page)
    assert len(boxes) == len(LICENSE_LINES)
    assert [found.text for found in paddle_engine.recognize(page, boxes)] == [
        found.text for found in paddle_engine.read(page)
    ]
    upside_down = rotate_image(page, 180)
    angles = paddle_engine.line_angles(upside_down, paddle_engine.detect(upside_down))
    assert [angle.angle for angle in angles] == [180] * len(LICENSE_LINES)


@pytest.mark.ocr
def test_paddle_finds_nothing_on_a_blank_page(paddle_engine: OcrEngine) -> None:
    assert paddle_engine.read(np.full((600, 800, 3), 255, np.uint8)) == []


class ShapeSpy:
    """A predictor input tensor that records the shape of every batch copied into it."""

    def __init__(self, tensor: object) -> None:
        self.tensor = tensor
        self.shapes: list[tuple[int, ...]] = []

    def copy_from_cpu(self, batch: np.ndarray) -> None:
        self.shapes.append(batch.shape)
        self.tensor.copy_from_cpu(batch)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.tensor, name)


@pytest.mark.ocr
def test_paddle_warm_up_feeds_each_model_its_largest_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.ocr.paddle import (
        DET_LIMIT_SIDE,
        REC_BATCH,
        REC_HEIGHT,
        WARM_UP_LINE_RATIO,
        PaddleEngine,
    )

    warmed: list[PaddleEngine] = []
    monkeypatch.setattr(PaddleEngine, "warm_up", lambda self: warmed.append(self))
    cold = PaddleEngine(Settings(warm_up=False))
    assert warmed == []
    monkeypatch.undo()
    system = cold._system
    spies = {}
    for stage in ("text_detector", "text_classifier", "text_recognizer"):
        spies[stage] = ShapeSpy(getattr(system, stage).input_tensor)
        getattr(system, stage).input_tensor = spies[stage]
    cold.warm_up()
    assert spies["text_detector"].shapes == [(1, 3, DET_LIMIT_SIDE, DET_LIMIT_SIDE)]
    assert [shape[0] for shape in spies["text_classifier"].shapes] == [REC_BATCH]
    assert spies["text_recognizer"].shapes == [
        (REC_BATCH, 3, REC_HEIGHT, REC_HEIGHT * WARM_UP_LINE_RATIO)
    ]


@pytest.mark.ocr
def test_paddle_warms_up_when_loaded_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr.paddle import PaddleEngine

    warmed: list[PaddleEngine] = []
    monkeypatch.setattr(PaddleEngine, "warm_up", lambda self: warmed.append(self))
    engine = PaddleEngine(Settings())
    assert warmed == [engine]
