"""Boxes cut at the recognizer's character positions, spaced labels, glued text (synthetic data)."""

import numpy as np
import pytest

from pipeline.fields import extract
from pipeline.fields.entity_name import trim_name
from pipeline.fields.glyphs import char_steps, split_at
from pipeline.fields.license import ENTITY_TYPE_OPENINGS, LABELS
from pipeline.fields.lines import to_lines
from pipeline.ocr.base import OcrLine
from pipeline.ocr.ctc import Charset, CtcMatrix, read_text
from schemas import DocumentKind
from tests.test_fields_lines import ocr_line

LICENSE = DocumentKind.BUSINESS_LICENSE
STEPS_PER_HEIGHT = 6  # a crop resized to height 48 gives one step per 8 columns
TEXTS = (
    "名称类型住所注册资本成立日期法定代表人统一社会信用代码营业执照登记机关经营范围组成形式"
    "杭州青禾数据科技有限公司责自然人投控股()壹佰万元整浙江省西湖区文三路号"
    "0123456789ABCDEFGHJKLMNPQRTUWXY李明远"
)
CHARSET = Charset(("blank", *dict.fromkeys(TEXTS)))


def printed(pieces: list[tuple[str, float]], x: float, y: float, height: float = 30) -> OcrLine:
    """One detected box over text pieces printed apart: (text, gap in line heights before
    it); its CTC matrix spikes once per character at the character's place, as PP-OCR's."""
    places: list[tuple[str, float]] = []
    at = 0.0
    for text, gap in pieces:
        at += gap
        for char in text:
            places.append((char, at + 0.5))
            at += 1.0
    steps = round(at * STEPS_PER_HEIGHT)
    probs = np.full((steps, len(CHARSET)), 1e-4)
    probs[:, 0] = 1.0
    for char, centre in places:
        step = int(centre * STEPS_PER_HEIGHT)
        probs[step] = 1e-4
        probs[step, CHARSET.characters.index(char)] = 1.0
    probs /= probs.sum(axis=1, keepdims=True)
    matrix = CtcMatrix.from_probs(probs, CHARSET, step_width=1 / steps)
    text = "".join(text for text, _ in pieces)
    assert read_text(matrix) == text
    line = ocr_line(text, x, y, height=height, width=at * height)
    return OcrLine(line.text, line.confidence, line.box, ctc=matrix)


def license_around(*rows: OcrLine) -> list[OcrLine]:
    """The rows on a page that reads as a license (title and USCC row above them)."""
    return [
        ocr_line("营业执照", 500, 60, height=80),
        ocr_line("统一社会信用代码", 100, 180),
        ocr_line("91330106MA2B3C4D5D", 100, 220),
        *rows,
        ocr_line("登记机关", 800, 800),
    ]


def test_character_steps_follow_the_spikes_and_a_cut_keeps_each_piece_s_matrix() -> None:
    line = to_lines([[printed([("名称", 0), ("杭州青禾", 2)], 100, 300)]])[0]
    steps = char_steps(line)
    assert steps is not None and [start for start, _ in steps] == [3, 9, 27, 33, 39, 45]
    label, value = split_at(line, [(2, 18)])
    assert (label.text, value.text) == ("名称", "杭州青禾")
    assert label.right == pytest.approx(value.left) == pytest.approx(line.left + 3 * 30)
    assert value.ctc is not None and read_text(value.ctc) == "杭州青禾"
    assert char_steps(value) is not None


def test_the_tail_of_a_spaced_label_read_with_the_name_is_cut_off() -> None:
    pages = [
        license_around(
            ocr_line("名", 100, 300),
            printed([("称杭州青禾数据科技有限公司", 0)], 190, 300),
            ocr_line("类", 100, 370),
            ocr_line("型", 190, 370),
            ocr_line("有限责任公司", 280, 370),
        )
    ]
    assert extract(pages, LICENSE).fields.name == "杭州青禾数据科技有限公司"


def test_two_columns_read_as_one_box_are_cut_at_their_gap() -> None:
    row = printed(
        [("名称", 0), ("杭州青禾数据科技有限公司", 1), ("注册资本", 4), ("壹佰万元整", 1)], 100, 300
    )
    fields = extract([license_around(row)], LICENSE).fields
    assert fields.name == "杭州青禾数据科技有限公司"
    assert fields.registered_capital == "壹佰万元整"


def test_label_heads_read_as_one_stacked_box_leave_their_tails_as_labels() -> None:
    pages = [
        license_around(
            OcrLine("名类住", 0.99, [(100, 300), (130, 300), (130, 440), (100, 440)]),  # stacked
            ocr_line("称", 190, 300),
            ocr_line("杭州青禾数据科技有限公司", 280, 300),
            ocr_line("型", 190, 370),
            ocr_line("有限责任公司", 280, 370),
        )
    ]
    assert extract(pages, LICENSE).fields.name == "杭州青禾数据科技有限公司"


def test_a_lone_label_tail_whose_head_was_not_read_still_labels_the_name() -> None:
    pages = [
        license_around(
            ocr_line("称", 190, 300),
            ocr_line("杭州青禾数据科技有限公司", 280, 300),
            ocr_line("型", 190, 370),
            ocr_line("有限责任公司", 280, 370),
        )
    ]
    assert extract(pages, LICENSE).fields.name == "杭州青禾数据科技有限公司"


def test_a_watermark_under_the_name_is_no_continuation() -> None:
    pages = [
        license_around(
            ocr_line("名称", 100, 300),
            ocr_line("杭州青禾数据科技有限公司", 280, 300),
            ocr_line("仅限公示使用", 260, 335, height=80),
        )
    ]
    assert extract(pages, LICENSE).fields.name == "杭州青禾数据科技有限公司"


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("杭州青禾数据科技有限公司有限责任公司(自然人投资或控股)", "杭州青禾数据科技有限公司"),
        ("杭州青禾数据科技有限公司型有限责任公司(自然人独资)", "杭州青禾数据科技有限公司"),
        ("杭州青禾数据科技有限公司体类型", "杭州青禾数据科技有限公司"),
        ("杭州青禾数据科技有限公册资本3000万元", "杭州青禾数据科技有限公"),
        ("杭州青禾银行股份有限公司", "杭州青禾银行股份有限公司"),  # 行 + legal form: a name
        ("青禾(杭州)股份有限公司", "青禾(杭州)股份有限公司"),
        ("青禾资本管理有限公司", "青禾资本管理有限公司"),  # 资本: too short a tail to cut at
        ("上海云帆新途广告有限公司SCJDGL", "上海云帆新途广告有限公司"),  # watermark letters
        ("ABC青禾科技有限公司", "ABC青禾科技有限公司"),  # a name's own letters lead
        ("藁城区黄福便利店型", "藁城区黄福便利店"),  # 型 of the 类型 label below
        ("青禾律师事务所", "青禾律师事务所"),  # 所 after no name ending: the name's own
    ],
)
def test_glued_labels_and_legal_forms_are_trimmed_from_a_name(read: str, name: str) -> None:
    assert trim_name(read, LABELS, ENTITY_TYPE_OPENINGS) == name


def test_a_column_of_label_heads_under_a_lost_name_gives_no_name() -> None:
    # 名/企/住 read as one tall box, the name's own line lost: 企 + 业类型 is no name
    pages = [
        license_around(
            OcrLine("名企住", 0.99, [(100, 300), (130, 300), (130, 440), (100, 440)]),
            ocr_line("业", 180, 347),
            ocr_line("类型", 230, 347),
            ocr_line("有限责任公司", 330, 347),
        )
    ]
    assert extract(pages, LICENSE).fields.name is None
