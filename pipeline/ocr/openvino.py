"""The same PP-OCRv4 models run by OpenVINO instead of Paddle Inference.

PaddleOCR's own pre- and post-processing (resizing, normalization, DB box extraction, the
classifier's threshold, the CTC decoder and its recorder) stay exactly as in PaddleEngine;
only the three predictors are swapped for OpenVINO's, compiled from the same .pdmodel files.
OpenVINO runs these models 2–3× faster than Paddle Inference with MKLDNN on this CPU."""

from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import EngineError
from pipeline.ocr.paddle import (
    MODEL_DESCRIPTION,
    ModelPaths,
    PaddleEngine,
    engine_errors,
    installed_version,
    load_paddleocr,
)
from schemas import EngineInfo

PREDICTORS = {"text_detector": "det", "text_classifier": "cls", "text_recognizer": "rec"}


class _Input:
    """The predictor's input handle, as PaddleOCR's predict_* modules use it."""

    def __init__(self) -> None:
        self.batch: np.ndarray | None = None

    def copy_from_cpu(self, batch: np.ndarray) -> None:
        self.batch = batch


class _Output:
    """One output handle of the predictor."""

    def __init__(self, predictor: "OpenVinoPredictor", index: int) -> None:
        self._predictor = predictor
        self._index = index

    def copy_to_cpu(self) -> np.ndarray:
        return self._predictor.results[self._index]


class OpenVinoPredictor:
    """A compiled OpenVINO model behind the part of Paddle Inference's predictor API that
    PaddleOCR 2.10 calls: input_tensor.copy_from_cpu, run, output_tensors[i].copy_to_cpu."""

    def __init__(self, compiled: Any) -> None:
        self._request = compiled.create_infer_request()
        self._outputs = list(compiled.outputs)
        self.input_tensor = _Input()
        self.output_tensors = [_Output(self, index) for index in range(len(self._outputs))]
        self.results: list[np.ndarray] = []

    def run(self) -> None:
        """Infer on the batch copied in; the outputs are copies (share_outputs is off)."""
        if self.input_tensor.batch is None:
            raise EngineError("OpenVINO predictor run without an input")
        answer = self._request.infer([self.input_tensor.batch])
        self.results = [answer[output] for output in self._outputs]

    def try_shrink_memory(self) -> None:
        """Paddle frees its scratch memory here; OpenVINO needs nothing."""


def engine_info() -> EngineInfo:
    """What OpenVinoEngine reports about itself, known without loading the models."""
    version = installed_version("openvino", "pip install openvino")
    return EngineInfo(name="openvino", version=version, model=MODEL_DESCRIPTION)


def compile_predictor(core: Any, model_dir: Path, cpu_threads: int) -> OpenVinoPredictor:
    """The Paddle model of a folder compiled for the CPU: full fp32 precision (no bf16
    even where the CPU has it, so that readings stay the reference engine's), one stream."""
    model = core.read_model(str(model_dir / "inference.pdmodel"))
    config = {
        "INFERENCE_NUM_THREADS": cpu_threads,
        "PERFORMANCE_HINT": "LATENCY",
        "INFERENCE_PRECISION_HINT": "f32",
    }
    return OpenVinoPredictor(core.compile_model(model, "CPU", config))


class OpenVinoEngine(PaddleEngine):
    """PaddleEngine with its detector, angle classifier and recognizer run by OpenVINO."""

    def load_system(self, paths: ModelPaths, cpu_threads: int) -> Any:
        """PaddleOCR's system, each of its three predictors replaced by OpenVINO's."""
        system = load_paddleocr(paths, cpu_threads)
        with engine_errors("OpenVINO loading"):
            import openvino

            core = openvino.Core()
            folders = {"det": paths.det, "cls": paths.cls, "rec": paths.rec}
            for attribute, model in PREDICTORS.items():
                stage = getattr(system, attribute)
                predictor = compile_predictor(core, folders[model], cpu_threads)
                stage.predictor = predictor
                stage.input_tensor = predictor.input_tensor
                stage.output_tensors = predictor.output_tensors
        return system

    def describe(self) -> EngineInfo:
        """OpenVINO's name and version, the same models."""
        return engine_info()
