"""The round red seal: found on a page, unwrapped into a strip, read as the authority."""

import math
import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.document import read_document
from pipeline.fields import extract
from pipeline.fields.authority import SealText, authority_form, plausible_authority
from pipeline.fields.skim import reading_policy
from pipeline.images.seal import SealCircle, find_seals, ink_only, red_ink, unwrap
from pipeline.ocr.base import OcrEngine
from pipeline.seal_reading import read_circle
from pipeline.settings import Settings
from samples.generator import LicenseLayout, make_company, render_license
from samples.generator.drawing import SEAL_RED, make_seal, multiply_onto
from samples.generator.fonts import font
from schemas import DocumentKind
from tests.test_fields_lines import ocr_line

SEAL_CENTER = (1210.0, 830.0)
SEAL_DIAMETER = 230
AUTHORITIES = (
    "北京市海淀区市场监督管理局",
    "杭州市西湖区市场监督管理局",
    "广州市工商行政管理局天河分局",
)
SEAL_FONTS = ("zenhei", "noto_sans", "uming")


def page_with_seal(text: str, font_key: str = "zenhei", seed: int = 1) -> np.ndarray:
    """A 1600×1100 BGR page: black print, a red square stamp and the round seal over 登记机关."""
    rng = random.Random(seed)
    page = Image.new("RGB", (1600, 1100), (246, 243, 235))
    draw = ImageDraw.Draw(page)
    face = font("noto_sans", 34)
    for row, line in enumerate(("名称 星河云帆有限公司", "住所 云南省昆明市五华区人民路1号")):
        draw.text((140, 200 + row * 80), line, font=face, fill=(25, 25, 25))
    draw.text((1100, 800), "登 记 机 关", font=face, fill=(25, 25, 25))
    draw.rectangle((200, 700, 330, 830), outline=SEAL_RED, width=8)  # a square stamp: not a seal
    draw.text((215, 740), "已核", font=face, fill=SEAL_RED)
    multiply_onto(page, make_seal(text, SEAL_DIAMETER, rng, font_key), SEAL_CENTER)
    return np.asarray(page)[:, :, ::-1].copy()


def test_the_round_seal_is_found_and_the_square_stamp_is_not() -> None:
    seals = find_seals(page_with_seal(AUTHORITIES[0]))
    assert len(seals) == 1
    seal = seals[0]
    assert math.hypot(seal.x - SEAL_CENTER[0], seal.y - SEAL_CENTER[1]) < 6
    assert SEAL_DIAMETER * 0.42 < seal.radius < SEAL_DIAMETER * 0.52


def test_a_page_without_red_ink_has_no_seal() -> None:
    page = page_with_seal(AUTHORITIES[0])
    gray = cv2.cvtColor(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    assert find_seals(gray) == []


def test_the_evidence_box_is_the_seal_circles_bounding_box() -> None:
    assert SealCircle(100, 50, 20).box == [(80, 30), (120, 30), (120, 70), (80, 70)]


def test_the_unwrapped_text_lies_over_the_top_of_the_seal() -> None:
    """The arc text spans the top of the circle: ink in the middle of the strip, none at its
    ends (which are the seal's bottom), and the ring along the strip's top edge."""
    page = page_with_seal(AUTHORITIES[0])
    seal = find_seals(page)[0]
    strip = unwrap(red_ink(page), seal, (0.5, 0.86))
    columns = np.flatnonzero(strip.max(axis=0) > 0)
    width = strip.shape[1]
    assert columns.size > width * 0.5
    assert abs((columns.min() + columns.max()) / 2 - width / 2) < width * 0.06
    assert columns.min() > width * 0.03 and columns.max() < width * 0.97
    ring = unwrap(red_ink(page), seal, (0.9, 1.0))
    assert np.mean(ring.max(axis=0) > 0) > 0.9


def test_ink_only_whitens_the_black_print() -> None:
    page = page_with_seal(AUTHORITIES[0])
    ink = ink_only(page)[:, :, 0]
    assert ink[200:240, 140:600].min() > 200  # the 名称 row printed in black
    assert ink[int(SEAL_CENTER[1]) - 5 : int(SEAL_CENTER[1]) + 5, int(SEAL_CENTER[0])].min() < 100


@pytest.mark.parametrize(
    "text",
    [
        "北京市海淀区市场监督管理局",
        "北京市工商行政管理局海淀分局",
        "如东县行政审批局",
        "江苏省市场监督管理局",
        "济南高新技术产业开发区管委会市场监管局",
        "深圳市市场监督管理局福田监管局",
        "常州国家高新技术产业开发区（新北区）行政审批局",
    ],
)
def test_a_real_authoritys_name_is_plausible(text: str) -> None:
    assert plausible_authority(text)


@pytest.mark.parametrize(
    "text",
    [
        "市门★",  # seal fragments read around the label
        "京",
        "市场监督管理局",  # no division named
        "浙江正辉照明工程有限公司",  # a company's seal
        "北京市海淀区",  # a place, not a body
        "2021年02月03日",
        "星河云帆市场监督管理局",  # a body of no real division
        "市西夏区市场监管局",  # a fragment before the division
    ],
)
def test_junk_and_other_seals_are_not_plausible(text: str) -> None:
    assert not plausible_authority(text)


@pytest.mark.parametrize(
    ("read", "recorded"),
    [
        ("曲靖马龙区市场监督管理局", "曲靖市马龙区市场监督管理局"),  # 市 lost under the label
        ("南京市建郸区市场监督管理局", "南京市建邺区市场监督管理局"),  # one district character
        ("“北京市大兴区市场监督管理局”", "北京市大兴区市场监督管理局"),
        ("深圳市场监督管理局", "深圳市市场监督管理局"),  # CTC merged 市市 into one 市
        ("义乌市场监督管理局", "义乌市市场监督管理局"),  # a county-level city too
        ("福田区市场监督管理局", "福田区市场监督管理局"),  # a district: nothing lost
        ("上海市市场京警管理局", "上海市市场监督管理局"),  # two characters of the body
        ("深圳市市场监警管瑞局宝安分局", "深圳市市场监督管理局宝安分局"),  # a branch after it
        ("北京市工商行政管珵局", "北京市工商行政管理局"),
        ("上海市场监督管理所", "上海市市场监督管理局"),  # a municipality; 所 for 局
    ],
)
def test_seal_readings_are_repaired_by_the_divisions_they_name(read: str, recorded: str) -> None:
    assert authority_form(read) == recorded


LICENSE_WITHOUT_AUTHORITY = [
    ocr_line("名称", 100, 200),
    ocr_line("星河云帆科技有限公司", 260, 200),
    ocr_line("统一社会信用代码", 100, 260),
    ocr_line("91110108MA01A0B7XU", 400, 260),
    ocr_line("住所", 100, 320),
    ocr_line("北京市海淀区中关村大街1号", 260, 320),
    ocr_line("登记机关", 900, 700),
]
SEAL = SealText(
    "北京市海淀区市场监督管理局", 0.97, [(1000, 600), (1200, 600), (1200, 800), (1000, 800)]
)


def test_the_seal_text_stands_in_for_an_unread_printed_authority() -> None:
    extraction = extract([LICENSE_WITHOUT_AUTHORITY], DocumentKind.BUSINESS_LICENSE, SEAL)
    assert extraction.fields.issuing_authority == SEAL.text
    proof = extraction.evidence["issuing_authority"]
    assert proof.box == SEAL.box
    assert proof.note == "读自印章"


def test_a_printed_authority_wins_over_the_seal() -> None:
    printed = [*LICENSE_WITHOUT_AUTHORITY, ocr_line("北京市昌平区市场监督管理局", 1100, 700)]
    extraction = extract([printed], DocumentKind.BUSINESS_LICENSE, SEAL)
    assert extraction.fields.issuing_authority == "北京市昌平区市场监督管理局"


def test_seal_fragments_next_to_the_label_are_not_shown_as_a_reading() -> None:
    junk = [*LICENSE_WITHOUT_AUTHORITY, ocr_line("市门★", 1100, 700, confidence=0.61)]
    extraction = extract([junk], DocumentKind.BUSINESS_LICENSE)
    assert extraction.fields.issuing_authority is None
    assert "issuing_authority" in extraction.unread
    assert "市门" not in str(extraction.evidence.get("issuing_authority"))


def test_an_authority_wrapped_over_two_lines_is_joined() -> None:
    wrapped = [
        *LICENSE_WITHOUT_AUTHORITY,
        ocr_line("上海市奉贤", 1100, 700),
        ocr_line("区市场监督管理局", 1100, 735),
    ]
    extraction = extract([wrapped], DocumentKind.BUSINESS_LICENSE)
    assert extraction.fields.issuing_authority == "上海市奉贤区市场监督管理局"


def test_a_printed_authority_missing_the_citys_市_gets_it_back() -> None:
    lines = [*LICENSE_WITHOUT_AUTHORITY, ocr_line("石家庄新华区市场监督管理局", 1100, 700)]
    extraction = extract([lines], DocumentKind.BUSINESS_LICENSE)
    assert extraction.fields.issuing_authority == "石家庄市新华区市场监督管理局"
    assert "「市」" in (extraction.evidence["issuing_authority"].note or "")


def test_half_an_authority_is_not_recorded() -> None:
    half = [*LICENSE_WITHOUT_AUTHORITY, ocr_line("区市场监督管理局", 1100, 735)]
    extraction = extract([half], DocumentKind.BUSINESS_LICENSE)
    assert extraction.fields.issuing_authority is None


@pytest.mark.ocr
@pytest.mark.parametrize("font_key", SEAL_FONTS)
@pytest.mark.parametrize("text", AUTHORITIES)
def test_the_recognizer_reads_the_unwrapped_seal(
    paddle_engine: OcrEngine, text: str, font_key: str
) -> None:
    page = page_with_seal(text, font_key)
    layout = paddle_engine.layout()
    assert layout is not None
    found = read_circle(page, find_seals(page)[0], layout)
    assert found is not None
    assert found.text == text


@pytest.mark.ocr
@pytest.mark.parametrize("seed", [3, 11])
def test_a_seal_only_license_gets_its_authority_from_the_seal(
    paddle_engine: OcrEngine, seed: int
) -> None:
    rng = random.Random(seed)
    company = make_company(rng, "云南省", form="company")
    image, truth = render_license(company, LicenseLayout(authority_printed=False), rng)
    ok, data = cv2.imencode(".jpg", np.asarray(image)[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    settings = Settings()
    result = read_document(
        data.tobytes(), "license.jpg", None, paddle_engine, settings, reading_policy(settings)
    ).result
    assert result.fields.issuing_authority == company.issuing_authority
    assert truth.issuing_authority == company.issuing_authority
    assert result.evidence["issuing_authority"].note == "读自印章"
