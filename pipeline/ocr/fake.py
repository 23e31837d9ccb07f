"""A scripted engine for tests of behaviour that does not depend on reading quality."""

import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from pipeline.errors import EngineError
from pipeline.ocr.base import OcrLine
from schemas import Box, EngineInfo

SCRIPT_VARIABLE = "FILINGCHECK_FAKE_OCR_SCRIPT"


class FakeLine(BaseModel):
    """One scripted line; the box defaults to a strip in the top-left corner."""

    text: str
    confidence: float = Field(default=0.99, ge=0, le=1)
    box: Box = Field(default_factory=lambda: [(0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0)])


class FakeScript(BaseModel):
    """What the fake engine does on every read: wait, then fail or return the lines."""

    lines: list[FakeLine] = Field(default_factory=list)
    fail: str | None = Field(default=None, description="raise EngineError with this message")
    sleep_seconds: float = Field(default=0.0, ge=0, le=600)


class FakeEngine:
    """Returns scripted lines, or raises (a simulated crash), optionally after a delay."""

    info = EngineInfo(name="fake", version="0", model="scripted")

    def __init__(self, script: FakeScript | None = None) -> None:
        self.script = script or FakeScript()
        self.calls = 0

    @classmethod
    def from_script_file(cls, path: Path | None) -> "FakeEngine":
        """The engine scripted by a JSON file (FILINGCHECK_FAKE_OCR_SCRIPT), or empty."""
        if path is None:
            return cls()
        try:
            return cls(FakeScript.model_validate_json(Path(path).read_bytes()))
        except (OSError, ValidationError) as e:
            raise EngineError(f"fake OCR script {path} ({SCRIPT_VARIABLE}) is unusable: {e}") from e

    def layout(self) -> None:
        """A script of lines per image: no stages to expose."""
        return None

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """The scripted lines, after the scripted delay; EngineError when told to fail."""
        self.calls += 1
        if self.script.sleep_seconds:
            time.sleep(self.script.sleep_seconds)
        if self.script.fail is not None:
            raise EngineError(self.script.fail)
        return [OcrLine(line.text, line.confidence, list(line.box)) for line in self.script.lines]
