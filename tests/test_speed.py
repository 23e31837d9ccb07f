"""The speed bench's pieces: stage accounting, stock PaddleOCR's lines, the printed tables."""

import itertools
import unicodedata

import pytest

from pipeline import stages
from pipeline.commands.speed import (
    SkimOutcomes,
    SpeedComparison,
    StageProfile,
    format_comparison,
    format_profile,
    format_skim,
    speed_ratio,
)
from pipeline.document import READ_FAINT, READ_THE_REST, SKIMMED
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.paddle import RECOGNIZED_LINES
from pipeline.ocr.stock import stock_lines
from pipeline.settings import Settings
from tests.conftest import LICENSE_LINES, TextPageFactory


def test_a_stage_inside_another_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = itertools.count(0.0, 1.0)  # every perf_counter call advances one "second"
    monkeypatch.setattr(stages.time, "perf_counter", lambda: next(clock))
    stages.take_stage_seconds()
    with stages.stage("normalize"):  # starts at 0
        with stages.stage("detection"):  # 1 → 2
            pass
        with stages.stage("detection"):  # 3 → 4
            pass
    # normalize ends at 5: 5 s in all, 2 of them detection's
    assert stages.take_stage_seconds() == {"detection": 2.0, "normalize": 3.0}
    assert stages.take_stage_seconds() == {}


def test_events_are_counted_and_taken() -> None:
    stages.take_counts()
    stages.count(SKIMMED)
    stages.count(SKIMMED)
    stages.count(READ_THE_REST)
    assert stages.take_counts() == {SKIMMED: 2, READ_THE_REST: 1}
    assert stages.take_counts() == {}


def test_stock_output_becomes_lines_in_reading_order() -> None:
    lower = [[10.0, 100.0], [200.0, 100.0], [200.0, 130.0], [10.0, 130.0]]
    upper = [[10.0, 10.0], [300.0, 10.0], [300.0, 40.0], [10.0, 40.0]]
    blank = [[10.0, 200.0], [50.0, 200.0], [50.0, 230.0], [10.0, 230.0]]
    found = [[lower, ("住所 北京市", 0.91)], [upper, (" 营业执照 ", 0.99)], [blank, (" ", 0.8)]]
    lines = stock_lines([found])
    assert [(line.text, line.confidence) for line in lines] == [
        ("营业执照", 0.99),
        ("住所 北京市", 0.91),
    ]
    assert lines[0].box == [(10.0, 10.0), (300.0, 10.0), (300.0, 40.0), (10.0, 40.0)]
    assert lines[0].ctc is None
    assert stock_lines([None]) == [] and stock_lines([]) == []


@pytest.mark.ocr
def test_stock_reads_a_page_as_the_engine_does(
    paddle_engine: OcrEngine, text_page: TextPageFactory
) -> None:
    from pipeline.ocr.stock import StockPaddleEngine

    stock = StockPaddleEngine(Settings())
    assert stock.layout() is None
    page = text_page()
    texts = [unicodedata.normalize("NFKC", line.text).replace(" ", "") for line in stock.read(page)]
    assert texts == [expected.replace(" ", "") for expected in LICENSE_LINES]
    stages.take_stage_seconds()
    stages.take_counts()
    stock.read(page)
    assert {"detection", "angle", "recognition"} <= set(stages.take_stage_seconds())
    assert stages.take_counts()[RECOGNIZED_LINES] == len(LICENSE_LINES)


def test_the_comparison_prints_medians_and_ratios_per_mode() -> None:
    comparison = SpeedComparison()
    comparison.add("scan", 1.0, {"detection": 1.0, "angle": 0.5, "recognition": 1.5}, 3.5)
    comparison.add("scan", 2.0, {"detection": 2.0, "recognition": 4.0, "decode": 9.0}, 6.5)
    comparison.add("photo", 1.0, {"recognition": 2.0}, 2.5)
    assert comparison.stock_ocr["scan"] == [3.0, 6.0]  # decoding is not stock's OCR
    assert speed_ratio(comparison.stock_ocr["scan"], comparison.ours["scan"]) == 3.0
    table = format_comparison(comparison).splitlines()
    assert table[-3].split() == ["photo", "1", "1.00", "2.00", "2.50", "2.00", "2.50"]
    assert table[-2].split() == ["scan", "2", "1.50", "4.50", "5.00", "3.00", "3.33"]
    assert table[-1].split() == ["all", "3", "1.00", "3.00", "3.50", "3.00", "3.50"]


def test_the_profile_prints_each_stage_and_the_rest() -> None:
    profile = StageProfile()
    profile.add({"detection": 1.0, "recognition": 2.0}, 4.0, {RECOGNIZED_LINES: 10})
    profile.add({"detection": 1.0, "recognition": 4.0}, 8.0, {RECOGNIZED_LINES: 21, SKIMMED: 1})
    rows = {line.split()[0]: line.split()[1:] for line in format_profile("t", profile).splitlines()}
    assert rows["detection"] == ["1.000", "s", "16.7", "%"]
    assert rows["recognition"] == ["3.000", "s", "50.0", "%"]
    assert rows["other"] == ["2.000", "s", "33.3", "%"]
    assert rows["total"] == ["6.000", "s"]
    assert rows["lines"] == ["recognized:", "15.5", "per", "item"]


def test_the_skim_table_gives_the_fallback_rate_per_group() -> None:
    outcomes = SkimOutcomes()
    outcomes.add("scan", 1, {SKIMMED: 1})
    outcomes.add("scan", 1, {READ_THE_REST: 1, READ_FAINT: 1})
    outcomes.add("photo", 1, {})
    rows = {line.split()[0]: line.split()[1:] for line in format_skim(outcomes, "x").splitlines()}
    assert rows["scan"] == ["1", "1", "0", "fallback", "50.0", "%", "faint", "1"]
    assert rows["photo"] == ["0", "0", "1", "fallback", "-", "faint", "0"]
    assert rows["all"] == ["1", "1", "1", "fallback", "50.0", "%", "faint", "1"]
