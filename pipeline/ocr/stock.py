"""Stock PaddleOCR reading whole images — `PaddleOCR.ocr(image, cls=True)` on the same models,
threads and MKLDNN as PaddleEngine — the reference the bench times the checker against."""

from typing import Any

import numpy as np

from pipeline.ocr.base import LayoutEngine, OcrLine, reading_order
from pipeline.ocr.paddle import (
    MODEL_DESCRIPTION,
    RECOGNIZED_LINES,
    box_from_points,
    engine_errors,
    load_paddleocr,
    model_paths,
    paddleocr_version,
    warm_up_models,
)
from pipeline.settings import Settings
from pipeline.stages import count, stage
from schemas import EngineInfo

STOCK_STAGES = {
    "text_detector": "detection",
    "text_classifier": "angle",
    "text_recognizer": "recognition",
}


class _Timed:
    """One of PaddleOCR's predictors with its calls counted as a pipeline stage."""

    def __init__(self, predictor: Any, name: str) -> None:
        self._predictor = predictor
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._name == "recognition":
            count(RECOGNIZED_LINES, len(args[0]))
        with stage(self._name):
            return self._predictor(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._predictor, attribute)


def stock_lines(result: Any) -> list[OcrLine]:
    """`PaddleOCR.ocr` output for one image (`[[[points, (text, score)], …]]`, or `[None]`
    when nothing was found) as OcrLines in reading order, blank texts dropped."""
    page = result[0] if result else None
    lines = [
        OcrLine(text=text.strip(), confidence=float(score), box=box_from_points(np.asarray(points)))
        for points, (text, score) in page or []
        if text.strip()
    ]
    return reading_order(lines)


class StockPaddleEngine:
    """Reads each image whole, as an application calling PaddleOCR would: detection, the
    angle classifier on every line, recognition. Exposes no stages (layout() is None)."""

    def __init__(self, settings: Settings) -> None:
        self._ocr = load_paddleocr(model_paths(settings.model_dir), settings.cpu_threads)
        for attribute, name in STOCK_STAGES.items():
            setattr(self._ocr, attribute, _Timed(getattr(self._ocr, attribute), name))
        self.info = EngineInfo(
            name="paddleocr-stock", version=paddleocr_version(), model=MODEL_DESCRIPTION
        )
        if settings.warm_up:
            warm_up_models(self._ocr)

    def layout(self) -> "LayoutEngine | None":
        """Stock PaddleOCR is only ever asked for whole images."""
        return None

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Every line PaddleOCR finds in the image."""
        with engine_errors("stock reading"):
            result = self._ocr.ocr(image, cls=True)
        return stock_lines(result)
