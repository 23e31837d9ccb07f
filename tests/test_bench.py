"""The bench's scoring: per-field tallies, the target groups with and without blurred captures."""

from datetime import datetime

from pipeline.commands.bench import BenchResult, _score_fields, _score_flags, format_result
from pipeline.commands.figures import p90
from samples.generator.models import CaptureMode, ExpectedDocument, ExpectedFlag, ExpectedPacket
from schemas import (
    DocumentFields,
    DocumentKind,
    DocumentResult,
    EngineInfo,
    FilingType,
    Flag,
    FlagCode,
    PacketReport,
    Severity,
    Verdict,
)

LICENSE = DocumentKind.BUSINESS_LICENSE


def expected(mode: CaptureMode, name: str, representative: str) -> ExpectedDocument:
    fields = DocumentFields(name=name, legal_representative=representative)
    return ExpectedDocument(declared_kind=LICENSE, kind=LICENSE, capture_mode=mode, fields=fields)


def read(name: str | None, representative: str | None) -> DocumentResult:
    fields = DocumentFields(name=name, legal_representative=representative)
    return DocumentResult(file="license.jpg", fields=fields)


def test_names_are_counted_with_and_without_the_blurred_captures() -> None:
    result = BenchResult()
    _score_fields(
        "a.jpg", expected(CaptureMode.SCAN, "甲公司", "李明"), read("甲公司", "李朋"), result
    )
    _score_fields(
        "b.jpg", expected(CaptureMode.BLURRY, "乙公司", "王芳"), read(None, "王芳"), result
    )
    assert (result.by_group["names"].correct, result.by_group["names"].total) == (2, 4)
    legible = result.by_group_legible["names"]
    assert (legible.correct, legible.total) == (1, 2)
    assert result.misses == [
        "a.jpg [scan] legal_representative: '李朋' ≠ '李明'",
        "b.jpg [blurry] name: None ≠ '乙公司'",
    ]
    report = format_result(result, 2, 1, "model")
    assert "  names                  50.00 % (2/4)" in report
    assert "  names, not blurry      50.00 % (1/2)" in report


def test_without_blurred_captures_no_second_line_is_printed() -> None:
    result = BenchResult()
    _score_fields(
        "a.jpg", expected(CaptureMode.PHOTO, "甲公司", "李明"), read("甲公司", "李明"), result
    )
    assert "not blurry" not in format_result(result, 1, 1, "model")


def test_p90_of_ten_values_and_of_one() -> None:
    assert p90([float(value) for value in range(1, 11)]) == 9.1
    assert p90([2.5]) == 2.5


def truth(scenario: str, mode: CaptureMode, flags: list[ExpectedFlag]) -> ExpectedPacket:
    return ExpectedPacket(
        packet_id=f"P-{scenario}-{mode}",
        scenario=scenario,
        seed=1,
        capture_mode=mode,
        filing_type=FilingType.ORGANIZATION,
        verdict=Verdict.REJECT if flags else Verdict.PASS,
        acceptable_verdicts=[Verdict.REJECT if flags else Verdict.PASS],
        flags=flags,
        allowed_extra_flags=[],
        documents={},
    )


def report_with(*flags: tuple[FlagCode, Severity]) -> PacketReport:
    return PacketReport(
        packet_id="P",
        verdict=Verdict.PASS,
        flags=[Flag(code=code, severity=severity, message="-") for code, severity in flags],
        pipeline_version="0",
        engine=EngineInfo(name="x", version="0", model="m"),
        checked_at=datetime(2026, 11, 30),
    )


TYPO = [ExpectedFlag(code=FlagCode.NAME_MISMATCH, severity=Severity.ERROR)]
NAME = FlagCode.NAME_MISMATCH


def test_a_typo_must_be_an_error_on_a_legible_capture_and_flagged_on_a_degraded_one() -> None:
    result = BenchResult()
    _score_flags(
        truth("name_typo", CaptureMode.SCAN, TYPO), report_with((NAME, Severity.ERROR)), result
    )
    _score_flags(
        truth("name_typo", CaptureMode.PHOTO, TYPO), report_with((NAME, Severity.WARNING)), result
    )
    _score_flags(
        truth("name_typo", CaptureMode.BLURRY, TYPO), report_with((NAME, Severity.WARNING)), result
    )
    _score_flags(truth("name_typo", CaptureMode.LOW_RES, TYPO), report_with(), result)
    assert (result.typos_legible.correct, result.typos_legible.total) == (1, 2)
    assert (result.typos_degraded.correct, result.typos_degraded.total) == (1, 2)


def test_every_scenario_without_required_flags_counts_as_clean() -> None:
    result = BenchResult()
    _score_flags(truth("seal_only_authority", CaptureMode.SCAN, []), report_with(), result)
    _score_flags(
        truth("legacy_license", CaptureMode.SCAN, []), report_with((NAME, Severity.ERROR)), result
    )
    assert result.clean_packets == 2
    assert result.false_errors_on_clean == ["P-legacy_license-scan (legacy_license)"]
