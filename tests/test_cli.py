"""The filingcheck command as a user runs it: exit codes, outputs, batch files."""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import ORGANIZATION_USCC, png_bytes, write_fake_script

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "packets"


def filingcheck(
    *args: str, engine: str = "fake", timeout: float = 300, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FILINGCHECK_ENGINE": engine, **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )


def test_missing_folder_is_exit_2_naming_it(tmp_path: Path) -> None:
    result = filingcheck("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere is not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_folder_without_form_is_exit_2(tmp_path: Path) -> None:
    result = filingcheck("check", str(tmp_path))
    assert result.returncode == 2
    assert "no form.json" in result.stderr


def test_invalid_form_still_writes_a_form_invalid_report_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "form.json").write_text('{"packet_id": "P-BAD", "filing_type": "x"}')
    out = tmp_path / "report.json"
    result = filingcheck("check", str(tmp_path), "--out", str(out))
    assert result.returncode == 2
    assert "filing_type" in result.stderr
    report = json.loads(out.read_text())
    assert report["verdict"] == "reject"
    assert [flag["code"] for flag in report["flags"]] == ["FORM_INVALID"]


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        (
            "FILINGCHECK_MAX_SIDE",
            "abc",
            "FILINGCHECK_MAX_SIDE='abc': Input should be a valid integer",
        ),
        (
            "FILINGCHECK_MAX_SIDE",
            "10",
            "FILINGCHECK_MAX_SIDE='10': Input should be greater than or equal to 320",
        ),
        ("FILINGCHECK_LOG_LEVEL", "loud", "FILINGCHECK_LOG_LEVEL='LOUD': Input should be 'DEBUG'"),
    ],
)
def test_a_bad_setting_is_exit_2_naming_the_variable(
    variable: str, value: str, problem: str
) -> None:
    result = filingcheck("check", str(SAMPLES / "S01-clean_org"), **{variable: value})
    assert result.returncode == 2
    assert f"filingcheck: invalid settings: {problem}" in result.stderr
    assert "Traceback" not in result.stderr


def test_log_level_is_read_in_any_case() -> None:
    result = filingcheck("check", str(SAMPLES / "S21-form_invalid"), FILINGCHECK_LOG_LEVEL="info")
    assert "invalid settings" not in result.stderr and "Traceback" not in result.stderr


def test_unknown_engine_names_the_engines(tmp_path: Path) -> None:
    result = filingcheck("check", str(SAMPLES / "S01-clean_org"), engine="tesseract")
    assert result.returncode != 0
    assert "fake, openvino, paddleocr" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_of_a_non_image_is_exit_2_with_the_reason(tmp_path: Path) -> None:
    page = tmp_path / "id.jpg"
    page.write_text("<html><body>not an image</body></html>")
    result = filingcheck("extract", str(page))
    assert result.returncode == 2
    assert json.loads(result.stdout)["status"] == "unreadable"
    assert "HTML" in result.stderr


def test_extract_of_many_files_is_one_json_line_each_and_exit_2_if_any_fails(
    tmp_path: Path,
) -> None:
    good, corrupt, missing = (
        tmp_path / "license.png",
        tmp_path / "broken.jpg",
        tmp_path / "gone.png",
    )
    good.write_bytes(png_bytes())
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 a JPEG cut off after its first bytes")
    script = write_fake_script(tmp_path / "fake.json")
    result = filingcheck(
        "extract", str(good), str(corrupt), str(missing), FILINGCHECK_FAKE_OCR_SCRIPT=str(script)
    )
    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(corrupt), str(missing)]
    assert lines[0]["status"] == "ok"
    assert lines[0]["fields"]["number"] == ORGANIZATION_USCC
    assert [line["status"] for line in lines[1:]] == ["unreadable", "unreadable"]
    assert lines[1]["error"] and "gone.png is not a file" in lines[2]["error"]
    assert f"filingcheck: {corrupt}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_of_readable_files_is_exit_0(tmp_path: Path) -> None:
    good = tmp_path / "license.png"
    good.write_bytes(png_bytes())
    script = write_fake_script(tmp_path / "fake.json")
    result = filingcheck("extract", str(good), str(good), FILINGCHECK_FAKE_OCR_SCRIPT=str(script))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_batch_writes_reports_summary_and_pages_and_reports_failures(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    for name in ("S01-clean_org", "S14-unreadable"):
        shutil.copytree(SAMPLES / name, inbox / name)
    (inbox / "broken").mkdir()
    (inbox / "broken" / "form.json").write_text("not json")
    out = tmp_path / "out"
    result = filingcheck("batch", str(inbox), "--out", str(out))
    assert result.returncode == 2  # one folder gave no report
    assert "broken" in result.stderr and "not valid JSON" in result.stderr
    rows = {
        row["folder"].rsplit("/", 1)[-1]: row
        for row in csv.DictReader((out / "summary.csv").open())
    }
    assert set(rows) == {"S01-clean_org", "S14-unreadable", "broken"}
    assert rows["broken"]["problem"] and not rows["broken"]["packet_id"]
    for packet_id in ("S01-clean_org", "S14-unreadable"):
        assert json.loads((out / f"{packet_id}.json").read_text())["packet_id"] == packet_id
        assert (out / f"{packet_id}.html").read_text().startswith("<!DOCTYPE html>")
    assert "S14-unreadable.html" in (out / "index.html").read_text()


@pytest.mark.ocr
@pytest.mark.slow
def test_check_reads_a_sample_packet_with_the_real_engine(tmp_path: Path) -> None:
    result = filingcheck(
        "check", str(SAMPLES / "S10-region_mismatch_org"), "--format", "text", engine="paddleocr"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("packet S10-region_mismatch_org: reject")
    assert "REGION_MISMATCH" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["status"], {"FILINGCHECK_WORKER_MAX_PACKETS": "0"}, "FILINGCHECK_WORKER_MAX_PACKETS"),
        (["submit", "x"], {"FILINGCHECK_S3_CONNECTIONS": "many"}, "FILINGCHECK_S3_CONNECTIONS"),
        (["reprocess", "--prefix", "../etc"], {}, "--prefix"),
    ],
)
def test_bad_service_input_is_exit_2_naming_it(
    args: list[str], env: dict[str, str], named: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    assert named in result.stderr and "Traceback" not in result.stderr
