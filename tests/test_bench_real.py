"""`filingcheck bench --real`: scoring on hand-made results, the table, the command end to end."""

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from pipeline.commands.bench_real import format_real, select_files
from pipeline.commands.real_scoring import (
    RealResult,
    field_score,
    name_problem,
    number_check_valid,
    score_image,
)
from pipeline.commands.real_truth import Truth, TruthRow, load_truth
from pipeline.errors import BadInputError
from samples.generator import CaptureMode
from schemas import DocumentFields, DocumentKind, DocumentResult, DocumentStatus
from tests.conftest import captured_document
from tests.services import ORGANIZATION_USCC, png_bytes, write_fake_script

ROOT = Path(__file__).resolve().parent.parent
REAL_TRUTH = ROOT / "tests" / "real" / "truth.jsonl"
USCC = "91610131322424287L"  # valid check character
REGISTRATION = "440301103237806"  # a 15-digit 注册号 passing ISO 7064 MOD 11,10


def row(file: str, template: str, capture: str, **legible: bool) -> TruthRow:
    """A truth row for 甲 company; every field legible unless told otherwise."""
    flags = {"name": True, "number": True, "province": True, "authority": True, **legible}
    return TruthRow.model_validate(
        {
            "file": file,
            "name": "得利特（北京）科技有限公司",
            "number": USCC,
            "province": "北京市",
            "authority": "北京市海淀区市场监督管理局",
            "template": template,
            "capture": capture,
            "legible": flags,
        }
    )


def reading(file: str, **values: str | None) -> DocumentResult:
    return DocumentResult(file=file, fields=DocumentFields(**values))


def test_exact_match_ignores_width_and_white_space_but_not_characters() -> None:
    truth = row("a.jpg", "2019_landscape", "scan")
    assert field_score(truth, "name", "得利特(北京)科技 有限公司").ok is True
    assert field_score(truth, "name", "得利特(北京)科枝有限公司").ok is False
    assert field_score(truth, "name", None).ok is False
    assert field_score(None, "name", "x").ok is None


def test_illegible_fields_are_not_counted() -> None:
    result = RealResult()
    truth = row("a.jpg", "2019_landscape", "photo", authority=False, name=False)
    read = reading("a.jpg", name="wrong", number=USCC, province="北京市", issuing_authority="x")
    result.add(score_image(read, truth, 1.0))
    exact = result.groups["all"].exact
    assert (exact["name"].correct, exact["name"].total) == (0, 0)
    assert (exact["authority"].correct, exact["authority"].total) == (0, 0)
    assert (exact["number"].correct, exact["number"].total) == (1, 1)
    assert (exact["province"].correct, exact["province"].total) == (1, 1)


def test_a_field_marked_legible_without_a_value_is_not_counted() -> None:
    truth = row("a.jpg", "other", "scan").model_copy(update={"authority": None})
    assert field_score(truth, "authority", "某局").ok is None


def test_images_are_grouped_by_template_and_by_each_capture_tag() -> None:
    result = RealResult()
    good = reading("a.jpg", name="得利特（北京）科技有限公司", number=USCC, province="北京市")
    bad = reading("b.jpg", name="称得利特（北京）科技有限公司", number="91610131322424287X")
    result.add(score_image(good, row("a.jpg", "2016_portrait", "photo,watermarked"), 2.0))
    result.add(score_image(bad, row("b.jpg", "getihu", "photo"), 4.0))
    groups = result.groups
    assert set(groups) == {
        "all",
        "template 2016_portrait",
        "template getihu",
        "capture photo",
        "capture watermarked",
    }
    assert groups["all"].documents == 2 and groups["capture photo"].documents == 2
    assert groups["template getihu"].exact["name"].correct == 0
    assert groups["template 2016_portrait"].exact["name"].correct == 1
    assert (groups["all"].number_valid.correct, groups["all"].name_plausible.correct) == (1, 1)
    assert groups["all"].province_found.correct == 1
    assert groups["capture watermarked"].seconds == [2.0]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("称珠海米团科技有限公司", "label fragment 称"),
        ("珠海米团科技有限公册资本3000万元人民币", "label fragment 册资本"),
        ("珠海米团科技有限公司有限责任公司(自然人投资或控股)", "label fragment 自然人投资"),
        ("名称：珠海米团科技有限公司", "label fragment 名称"),
        ("珠海米团科技有限公司 住所 珠海市", "label fragment 住所"),
        ("深圳市福田区铭泰隆电子销售部类经", "no entity-name suffix"),
        ("", "empty"),
        (None, "empty"),
        ("深圳市福田区铭泰隆电子销售部", None),
        ("滨海县东坎街道三万烘焙坊（个体工商户）", None),
        ("江苏森派环保科技有限公司重庆分公司", None),
        ("济南市钢城区赢牧黑猪养殖场", None),
    ],
)
def test_name_plausibility(name: str | None, problem: str | None) -> None:
    assert name_problem(name) == problem


def test_every_transcribed_real_name_is_plausible() -> None:
    truth = load_truth(REAL_TRUTH)
    names = [row.name for row in truth.rows.values() if row.name]
    assert len(names) > 90
    assert [name for name in names if name_problem(name)] == []


def test_number_check_validity() -> None:
    assert number_check_valid(USCC) and number_check_valid(USCC.lower())
    assert number_check_valid(REGISTRATION)
    assert not number_check_valid(USCC[:-1] + "X")
    assert not number_check_valid(REGISTRATION[:-1] + "7")
    assert not number_check_valid("4406822003922")  # 13 digits: no check character
    assert not number_check_valid(None)


def test_the_table_has_exact_counts_rates_and_times() -> None:
    result = RealResult()
    truth = row("a.jpg", "legacy_registration", "scan", authority=False)
    read = reading("a.jpg", name="得利特(北京)科技有限公司", number=REGISTRATION, province="北京市")
    result.add(score_image(read, truth, 1.5))
    broken = DocumentResult(file="b.jpg", status=DocumentStatus.UNREADABLE, error="not an image")
    result.add(score_image(broken, row("b.jpg", "legacy_registration", "scan"), 0.5))
    table = format_real(result, Path("images"), Truth(Path("t.jsonl"), {}), "model")
    lines = table.splitlines()
    all_exact = next(line for line in lines if line.startswith("  all ") and "/" in line)
    assert all_exact.split()[1:] == ["2", "1/2", "50%", "0/2", "0%", "1/2", "50%", "0/1", "0%"]
    assert "  unreadable: b.jpg: not an image" in lines
    rates = [line for line in lines if line.startswith("  template legacy_registration")][-1]
    assert rates.split()[3:] == ["50.0", "%", "50.0", "%", "50.0", "%", "1.00", "1.40"]


def test_without_truth_only_the_rates_are_printed() -> None:
    result = RealResult()
    result.add(score_image(reading("a.jpg", name="甲有限公司"), None, 1.0))
    table = format_real(result, Path("images"), None, "model")
    assert "exact fields" not in table and "rates without truth" in table
    assert list(result.groups) == ["all"]


def test_with_a_truth_only_its_images_are_read_unless_all_are_asked_for(tmp_path: Path) -> None:
    files = [tmp_path / "0000.jpg", tmp_path / "0001.jpg", tmp_path / "0002.jpg"]
    truth = Truth(tmp_path / "t.jsonl", {"0001.jpg": row("0001.jpg", "other", "scan")})
    assert select_files(files, truth, all_images=False, limit=None) == [files[1]]
    assert select_files(files, truth, all_images=True, limit=2) == files[:2]
    assert select_files(files, None, all_images=False, limit=None) == files
    with pytest.raises(BadInputError):
        select_files(files[:1], truth, all_images=False, limit=None)


def test_a_malformed_or_repeated_truth_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "truth.jsonl"
    path.write_text('{"file": "a.jpg"}\n{"file": "b.jpg", "legible": 3}\n')
    with pytest.raises(BadInputError, match=r"truth\.jsonl:2"):
        load_truth(path)
    path.write_text('{"file": "a.jpg"}\n\n{"file": "a.jpg"}\n')
    with pytest.raises(BadInputError, match=r"a\.jpg is given twice"):
        load_truth(path)


def filingcheck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "FILINGCHECK_ENGINE": "fake", **env},
        timeout=600,
        cwd=ROOT,
    )


def write_truth(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_bench_real_with_the_fake_engine_scores_writes_lines_and_lists_unreadable(
    tmp_path: Path,
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(png_bytes())
    (images / "b.jpg").write_bytes(b"not an image")
    (images / "notes.txt").write_text("not a document")
    truth = {
        "name": "北京星河云帆科技有限公司",
        "number": ORGANIZATION_USCC,
        "province": "北京市",
        "authority": "北京市海淀区市场监督管理局",
        "template": "2019_landscape",
        "capture": "scan",
        "legible": {"name": True, "number": True, "province": True, "authority": True},
    }
    truth_file = write_truth(
        tmp_path / "truth.jsonl", [{"file": "a.png", **truth}, {"file": "b.jpg", **truth}]
    )
    out = tmp_path / "out.jsonl"
    script = write_fake_script(tmp_path / "fake.json")
    result = filingcheck(
        "bench", "--real", str(images), "--truth", str(truth_file), "--out", str(out),
        FILINGCHECK_FAKE_OCR_SCRIPT=str(script),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["file"] for line in lines] == ["a.png", "b.jpg"]
    assert lines[0]["fields"]["name"] == {
        "read": "北京星河云帆科技有限公司",
        "truth": "北京星河云帆科技有限公司",
        "legible": True,
        "ok": True,
    }
    assert lines[1]["status"] == "unreadable" and lines[1]["fields"]["number"]["ok"] is False
    all_row = next(line for line in result.stdout.splitlines() if line.startswith("  all "))
    assert all_row.split()[1:4] == ["2", "1/2", "50%"]
    assert "unreadable: b.jpg" in result.stdout
    assert "Traceback" not in result.stderr


def test_truth_options_without_real_are_refused() -> None:
    result = filingcheck("bench", "--truth", "t.jsonl")
    assert result.returncode == 2
    assert "--truth needs --real DIR" in result.stderr


@pytest.mark.ocr
@pytest.mark.slow
def test_bench_real_reads_generated_licenses_with_the_real_engine(tmp_path: Path) -> None:
    images, rows = tmp_path / "images", []
    images.mkdir()
    for seed, template in ((3, "2019_landscape"), (5, "2016_portrait")):
        captured, fields = captured_document(DocumentKind.BUSINESS_LICENSE, CaptureMode.SCAN, seed)
        (images / f"{seed:04d}.jpg").write_bytes(captured.data)
        rows.append(
            {
                "file": f"{seed:04d}.jpg",
                "name": fields.name,
                "number": fields.number,
                "province": fields.province,
                "authority": fields.issuing_authority,
                "template": template,
                "capture": "scan",
                "legible": {"name": True, "number": True, "province": True, "authority": False},
            }
        )
    truth_file = write_truth(tmp_path / "truth.jsonl", rows)
    result = filingcheck(
        "bench", "--real", str(images), "--truth", str(truth_file), FILINGCHECK_ENGINE="paddleocr"
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout.splitlines()
    all_row = next(line for line in table if line.startswith("  all "))
    assert all_row.split()[1:] == ["2", "2/2", "100%", "2/2", "100%", "2/2", "100%", "-"]
    assert any(line.startswith("  template 2016_portrait") for line in table)
    assert "seconds per document: median" in result.stdout


def test_an_out_file_that_cannot_be_written_is_exit_2_without_traceback(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(png_bytes())
    result = filingcheck("bench", "--real", str(images), "--out", str(tmp_path / "no" / "o.jsonl"))
    assert result.returncode == 2
    assert "o.jsonl cannot be written" in result.stderr and "Traceback" not in result.stderr
