"""The hand-made truth file for real license photos (tests/real/README.md) keeps its format."""

import json
import re
from pathlib import Path

import pytest
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_10

TRUTH = Path(__file__).with_name("truth.jsonl")

PROVINCES = frozenset(
    [
        "北京市",
        "天津市",
        "河北省",
        "山西省",
        "内蒙古自治区",
        "辽宁省",
        "吉林省",
        "黑龙江省",
        "上海市",
        "江苏省",
        "浙江省",
        "安徽省",
        "福建省",
        "江西省",
        "山东省",
        "河南省",
        "湖北省",
        "湖南省",
        "广东省",
        "广西壮族自治区",
        "海南省",
        "重庆市",
        "四川省",
        "贵州省",
        "云南省",
        "西藏自治区",
        "陕西省",
        "甘肃省",
        "青海省",
        "宁夏回族自治区",
        "新疆维吾尔自治区",
    ]
)
TEMPLATES = frozenset(
    {
        "2019_landscape",
        "2016_portrait",
        "2016_landscape",
        "shangshi_zhuti",
        "getihu",
        "partnership",
        "branch",
        "legacy_registration",
        "electronic",
        "other",
    }
)
CAPTURES = frozenset({"scan", "photo", "screenshot", "photocopy", "watermarked", "rotated"})
KEYS = (
    "file",
    "name",
    "number",
    "number_kind",
    "province",
    "authority",
    "template",
    "capture",
    "legible",
    "note",
)
FIELDS = ("name", "number", "province", "authority")
PRINTED_WRONG = "printed wrong"  # a note with this keeps a legible number that fails its check
OLD_REGISTRATION = re.compile(r"\d{13}")  # pre-2007 注册号: 13 digits, no check character


def rows() -> list[dict]:
    return [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines()]


ROWS = rows()


def test_every_line_is_one_object_with_the_documented_keys():
    lines = TRUTH.read_text(encoding="utf-8").splitlines()
    assert lines, "truth file is empty"
    for line in lines:
        row = json.loads(line)
        assert tuple(row) == KEYS, row.get("file")


def test_file_names_are_unique_sorted_jpg_stems():
    files = [row["file"] for row in ROWS]
    assert len(files) == len(set(files))
    assert files == sorted(files)
    assert all(re.fullmatch(r"\d{4}\.jpg", f) for f in files)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["file"])
def test_row_types_and_vocabularies(row):
    for key in ("name", "number", "province", "authority"):
        assert row[key] is None or (isinstance(row[key], str) and row[key].strip() == row[key])
    assert row["number_kind"] in ("uscc", "registration", None)
    assert row["template"] in TEMPLATES
    captures = row["capture"].split(",")
    assert captures and set(captures) <= CAPTURES and len(captures) == len(set(captures))
    assert isinstance(row["note"], str)
    assert isinstance(row["legible"], dict) and tuple(row["legible"]) == FIELDS
    assert all(isinstance(flag, bool) for flag in row["legible"].values())


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["file"])
def test_legible_fields_have_values(row):
    for field in FIELDS:
        if row["legible"][field]:
            assert row[field], f"{field} marked legible but empty"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["file"])
def test_number_kind_matches_number(row):
    number, kind = row["number"], row["number_kind"]
    if number is None:
        assert kind is None
    elif kind == "uscc":
        assert re.fullmatch(r"[0-9A-HJ-NP-RTUWXY]{18}", number)
    else:
        assert kind == "registration"
        assert re.fullmatch(r"\d{15}", number) or OLD_REGISTRATION.fullmatch(number)


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["legible"]["number"]], ids=lambda r: r["file"]
)
def test_legible_numbers_pass_their_check(row):
    number = row["number"]
    if PRINTED_WRONG in row["note"]:
        return
    if row["number_kind"] == "uscc":
        assert uscc.is_valid(number)
    elif len(number) == 15:
        assert mod_11_10.is_valid(number)
    else:  # a 13-digit 注册号 carries no check character; the note says what it is
        assert "13-digit" in row["note"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["province"]], ids=lambda r: r["file"])
def test_provinces_are_official_names(row):
    assert row["province"] in PROVINCES


def test_the_set_is_large_enough_to_measure():
    assert len(ROWS) >= 120
    assert sum(r["legible"]["name"] for r in ROWS) >= 80
    assert sum(r["legible"]["number"] for r in ROWS) >= 80
