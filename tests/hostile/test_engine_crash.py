"""A document that crashes the OCR engine fails alone: not its packet, not the batch."""

from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from PIL import Image

from pipeline.commands.batch import PacketRun, run_batch
from pipeline.errors import EngineError
from pipeline.ocr.base import OcrLine
from pipeline.ocr.fake import FakeEngine
from pipeline.packet import check_packet
from pipeline.settings import Settings
from pipeline.sources import FolderSource
from schemas import DocumentStatus, FlagCode, PacketReport
from tests.hostile import corpus
from tests.hostile.conftest import BudgetCheck
from tests.hostile.measure import run_measured

CRASH_MESSAGE = "simulated crash in the OCR engine"


class PoisonCrashEngine(FakeEngine):
    """The scripted ID-card reading, except that a mostly red page crashes the engine."""

    def __init__(self, crash: type[Exception]) -> None:
        super().__init__(corpus.id_front_script())
        self.crash = crash

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Crash on a red page (BGR), read every other page."""
        blue, _, red = (float(image[:, :, channel].mean()) for channel in range(3))
        if red > 180 and blue < 90:
            self.calls += 1
            raise self.crash(CRASH_MESSAGE)
        return super().read(image)


def poison_jpeg() -> bytes:
    """A red page the PoisonCrashEngine crashes on."""
    return corpus.encode(Image.new("RGB", corpus.PAGE_SIZE, (220, 30, 30)), "JPEG")


def write_packet(folder: Path, packet_id: str, poisoned: bool) -> None:
    """A personal packet: a good ID front, and an ID back that is poison or good."""
    folder.mkdir(parents=True)
    (folder / "front.jpg").write_bytes(corpus.jpeg())
    (folder / "back.jpg").write_bytes(poison_jpeg() if poisoned else corpus.jpeg())
    form = corpus.good_form(packet_id, files=("front.jpg", "back.jpg"))
    form["documents"][1]["kind"] = "id_card_back"
    (folder / "form.json").write_bytes(corpus.form_bytes(form))


def check_with_crashes(folder: Path, settings: Settings, crash: type[Exception]) -> PacketReport:
    """check_packet with an engine that crashes on the poison page."""
    return check_packet(FolderSource(folder), PoisonCrashEngine(crash), settings).report


def batch_with_crashes(
    root: Path, out: Path, settings: Settings, crash: type[Exception]
) -> list[PacketRun]:
    """run_batch (one process) whose engine crashes on the poison page."""
    with mock.patch("pipeline.commands.batch.create_engine", lambda _: PoisonCrashEngine(crash)):
        return run_batch(root, out, settings, jobs=1, html=False)


CRASHES = [
    pytest.param(EngineError, id="engine-error"),
    pytest.param(RuntimeError, id="runtime-error"),
]


@pytest.mark.parametrize("crash", CRASHES)
def test_a_crash_fails_only_that_document(
    crash: type[Exception], tmp_path: Path, settings: Settings, within_budget: BudgetCheck
) -> None:
    write_packet(tmp_path / "p", "P-CRASH", poisoned=True)
    measured = run_measured(lambda: check_with_crashes(tmp_path / "p", settings, crash))
    within_budget(measured)
    assert measured.raised is None, measured.raised.detail
    report = measured.value
    assert report is not None
    by_file = {document.file: document for document in report.documents}
    assert by_file["front.jpg"].status is DocumentStatus.OK
    assert by_file["back.jpg"].status is DocumentStatus.UNREADABLE
    assert CRASH_MESSAGE in (by_file["back.jpg"].error or "")
    unreadable = [flag.document for flag in report.flags
                  if flag.code is FlagCode.DOCUMENT_UNREADABLE]
    assert unreadable == ["back.jpg"]


@pytest.mark.parametrize("crash", CRASHES)
def test_a_crash_does_not_stop_the_batch(
    crash: type[Exception], tmp_path: Path, settings: Settings, within_budget: BudgetCheck
) -> None:
    root = tmp_path / "in"
    for name, poisoned in (("p1", False), ("p2", True), ("p3", False)):
        write_packet(root / name, f"P-{name}", poisoned)
    out = tmp_path / "out"
    measured = run_measured(lambda: batch_with_crashes(root, out, settings, crash))
    within_budget(measured)
    assert measured.raised is None, measured.raised.detail
    runs = measured.value
    assert runs is not None
    assert [run.problem for run in runs] == [None, None, None]
    assert sorted(path.name for path in out.glob("*.json")) == [
        "P-p1.json", "P-p2.json", "P-p3.json"
    ]
    statuses = {
        run.folder.rsplit("/", 1)[-1]: [document.status for document in run.report.documents]
        for run in runs
        if run.report is not None
    }
    assert statuses == {
        "p1": [DocumentStatus.OK, DocumentStatus.OK],
        "p2": [DocumentStatus.OK, DocumentStatus.UNREADABLE],
        "p3": [DocumentStatus.OK, DocumentStatus.OK],
    }
