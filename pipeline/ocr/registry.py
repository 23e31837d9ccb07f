"""Engines by name, and one engine per thread (PaddleOCR's predictor is not thread-safe)."""

import threading
from collections.abc import Callable

from pipeline.errors import EngineError
from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings

EngineFactory = Callable[[Settings], OcrEngine]


def _paddleocr(settings: Settings) -> OcrEngine:
    """PaddleOCR 2.10 with PP-OCRv4 (imported only when asked for: the import takes seconds)."""
    from pipeline.ocr.paddle import PaddleEngine

    return PaddleEngine(settings)


def _openvino(settings: Settings) -> OcrEngine:
    """The same models and PaddleOCR processing, the networks run by OpenVINO."""
    from pipeline.ocr.openvino import OpenVinoEngine

    return OpenVinoEngine(settings)


def _fake(settings: Settings) -> OcrEngine:
    """The scripted test engine."""
    from pipeline.ocr.fake import FakeEngine

    return FakeEngine.from_script_file(settings.fake_ocr_script)


ENGINES: dict[str, EngineFactory] = {
    "paddleocr": _paddleocr,
    "openvino": _openvino,
    "fake": _fake,
}

_per_thread = threading.local()


def available_engines() -> list[str]:
    """The names create_engine accepts."""
    return sorted(ENGINES)


def create_engine(settings: Settings) -> OcrEngine:
    """A new engine named by settings.engine; EngineError listing the engines if unknown."""
    factory = ENGINES.get(settings.engine)
    if factory is None:
        known = ", ".join(available_engines())
        raise EngineError(f"unknown OCR engine {settings.engine!r}; the engines are: {known}")
    return factory(settings)


def engine_for_thread(settings: Settings) -> OcrEngine:
    """This thread's engine for these settings, created on first use and reused after."""
    key = (settings.engine, settings.model_dir, settings.cpu_threads)
    engines: dict[tuple[object, ...], OcrEngine] = _per_thread.__dict__.setdefault("engines", {})
    if key not in engines:
        engines[key] = create_engine(settings)
    return engines[key]
