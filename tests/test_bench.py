"""The bench's scoring: per-field tallies, the target groups with and without blurred captures."""

from pipeline.commands.bench import BenchResult, _score_fields, format_result
from pipeline.commands.figures import p90
from samples.generator.models import CaptureMode, ExpectedDocument
from schemas import DocumentFields, DocumentKind, DocumentResult

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
