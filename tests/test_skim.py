"""A license's 经营范围 block and footer left unread, and read after all when a field is missing."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.document import DocumentReading, read_document
from pipeline.fields.skim import is_short, reading_policy, unneeded_boxes, value_may_be_unread
from pipeline.images.normalize import NormalizedPage
from pipeline.ocr.base import DetectedText, LineAngle, OcrEngine, OcrLine, reading_order
from pipeline.reading import PageReading
from pipeline.settings import Settings
from schemas import Box, DocumentKind, EngineInfo, Quality, TextSource
from tests.test_fields_license import landscape
from tests.test_fields_lines import ocr_line

LICENSE = DocumentKind.BUSINESS_LICENSE
SCOPE_LINES = [
    "信息系统集成服务；软件开发；广告设计、代理；",
    "会议及展览服务；企业管理咨询；市场营销策划；",
]
FOOTER_LINES = [
    "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn",
    "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。",
]


def full_landscape(authority: str | None = "杭州市西湖区市场监督管理局") -> list[OcrLine]:
    """The landscape 正本 of the license tests with a three-line scope and the printed footer."""
    lines = landscape(authority=authority)
    lines += [ocr_line(text, 300, 651 + 40 * row) for row, text in enumerate(SCOPE_LINES)]
    lines += [
        ocr_line(text, 300 + 100 * row, 1060 + 40 * row) for row, text in enumerate(FOOTER_LINES)
    ]
    return lines


def unneeded_texts(lines: list[OcrLine]) -> set[str]:
    """The texts of the wide lines that unneeded_boxes leaves unread, given the short ones read."""
    short = [line for line in lines if is_short(line.box)]
    wide = [line for line in lines if not is_short(line.box)]
    return {wide[index].text for index in unneeded_boxes(short, [line.box for line in wide])}


def test_the_scope_block_and_the_footer_of_a_landscape_license_are_left() -> None:
    scope_first = "技术开发、技术服务、技术咨询；"
    assert unneeded_texts(full_landscape()) == {scope_first, *SCOPE_LINES, *FOOTER_LINES}


def test_values_under_their_labels_keep_the_address_beside_the_scope() -> None:
    """The layout where every value is printed under its label, 经营范围 and 住所 on one row."""
    lines = [
        ocr_line("营业执照", 577, 231, height=78),
        ocr_line("统一社会信用代码91150403MAD95TX1WQ", 110, 160),
        ocr_line("经营范围", 117, 704), ocr_line("住", 830, 706), ocr_line("所", 900, 707),
        ocr_line("互联网数据服务；网络技术服务；（除依法须经批", 150, 743, height=28),
        ocr_line("内蒙古自治区赤峰市元宝山区长江南路156号3单元1", 860, 743, height=28),
        ocr_line("准的项目外，凭营业执照依法自主开展经营活动）", 148, 784, height=28),
        ocr_line("705", 855, 781),
        ocr_line("登记机关", 1140, 843),
        ocr_line("赤峰市元宝山区市场监督管理局", 1058, 895),
        ocr_line("2024年12月07日", 1150, 935),
    ]  # fmt: skip
    assert unneeded_texts(lines) == {
        "互联网数据服务；网络技术服务；（除依法须经批",
        "准的项目外，凭营业执照依法自主开展经营活动）",
    }


def test_a_label_under_the_scope_ends_its_block() -> None:
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("经营范围", 100, 400), ocr_line(SCOPE_LINES[0], 300, 400),
        ocr_line(SCOPE_LINES[1], 300, 440),
        ocr_line("住所", 100, 480), ocr_line("浙江省杭州市西湖区文三路100号2幢", 300, 480),
        ocr_line("2016年03月01日", 500, 560),
    ]  # fmt: skip
    assert unneeded_texts(lines) == set(SCOPE_LINES)


def test_nothing_is_left_on_a_page_that_is_not_a_license() -> None:
    lines = [
        ocr_line("姓名李明远", 60, 60),
        ocr_line("住址浙江省杭州市西湖区文三路100号2幢", 60, 200),
        ocr_line("公民身份号码 110108199001011231", 60, 400),
    ]
    assert unneeded_texts(lines) == set()


class ScriptedLayoutEngine:
    """A layout engine double: its detector finds the given lines, its recognizer reads them
    back and records every text it was asked to read."""

    info = EngineInfo(name="scripted-layout", version="1", model="test")

    def __init__(self, lines: list[OcrLine], faint: list[OcrLine] | None = None) -> None:
        self.lines = lines
        self.faint = faint or []  # lines only a polygon score would find
        self.recognized: list[str] = []
        self.boxes_read: list[tuple[tuple[float, float], ...]] = []

    def layout(self) -> "ScriptedLayoutEngine":
        return self

    def read(self, image: np.ndarray) -> list[OcrLine]:
        return reading_order(self.lines)

    def detect(self, image: np.ndarray) -> list[Box]:
        return [line.box for line in self.lines]

    def detect_text(self, image: np.ndarray) -> DetectedText:
        return DetectedText(self.detect(image), [line.box for line in self.faint])

    def line_angles(self, image: np.ndarray, boxes: list[Box]) -> list[LineAngle]:
        return [LineAngle(0, 1.0) for _ in boxes]

    def recognize(self, image: np.ndarray, boxes: list[Box]) -> list[OcrLine]:
        found = [line for line in self.lines + self.faint if line.box in boxes]
        self.recognized += [line.text for line in found]
        self.boxes_read += [tuple(line.box) for line in found]
        return reading_order(found)


def blank_page() -> bytes:
    ok, png = cv2.imencode(".png", np.full((1300, 1600, 3), 255, np.uint8))
    assert ok
    return png.tobytes()


@pytest.mark.parametrize("skim", [True, False])
def test_a_complete_license_is_read_without_its_scope_and_footer(skim: bool) -> None:
    engine = ScriptedLayoutEngine(full_landscape())
    reading = read_document(
        blank_page(),
        "license.png",
        LICENSE,
        engine,
        Settings(skim=skim),
        reading_policy(Settings(skim=skim)),
    )
    assert reading.result.detected_kind is LICENSE and reading.result.unread == {}
    assert reading.result.fields.issuing_authority == "杭州市西湖区市场监督管理局"
    left_unread = {*SCOPE_LINES, *FOOTER_LINES} - set(engine.recognized)
    assert left_unread == ({*SCOPE_LINES, *FOOTER_LINES} if skim else set())
    assert len(engine.boxes_read) == len(set(engine.boxes_read))  # no box read twice


def test_a_scope_whose_label_shares_its_first_box_is_left_after_that_line() -> None:
    # 经营范围 printed in one box with the scope's first words: no label among the short boxes
    lines = [
        line
        for line in full_landscape()
        if line.text not in ("经营范围", "技术开发、技术服务、技术咨询；", *SCOPE_LINES)
    ]
    lines.append(ocr_line("经营范围技术开发、技术服务、技术咨询；", 120, 611, width=880))
    lines += [
        ocr_line(text, 300, 651 + 40 * row, width=700) for row, text in enumerate(SCOPE_LINES)
    ]
    engine = ScriptedLayoutEngine(lines)
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, Settings(), reading_policy(Settings())
    )
    assert reading.result.unread == {}
    assert "经营范围技术开发、技术服务、技术咨询；" in engine.recognized
    assert not {*SCOPE_LINES, *FOOTER_LINES} & set(engine.recognized)
    assert len(engine.boxes_read) == len(set(engine.boxes_read))


def test_a_missing_name_has_the_rest_of_the_page_read_too() -> None:
    lines = [line for line in full_landscape() if line.text != "杭州青禾数据科技有限公司"]
    engine = ScriptedLayoutEngine(lines)
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, Settings(), reading_policy(Settings())
    )
    assert "name" in reading.result.unread
    assert {*SCOPE_LINES, *FOOTER_LINES} <= set(engine.recognized)
    assert len(engine.boxes_read) == len(set(engine.boxes_read))


@pytest.mark.parametrize("skim", [True, False])
def test_a_name_only_in_a_faint_box_is_read_when_missing(skim: bool) -> None:
    lines = full_landscape()
    name = next(line for line in lines if line.text == "杭州青禾数据科技有限公司")
    lines.remove(name)
    engine = ScriptedLayoutEngine(lines, faint=[name])
    settings = Settings(skim=skim)
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, settings, reading_policy(settings)
    )
    assert reading.result.fields.name == "杭州青禾数据科技有限公司"
    assert engine.recognized[-1] == "杭州青禾数据科技有限公司"  # after every other box
    assert len(engine.boxes_read) == len(set(engine.boxes_read))


def test_faint_boxes_are_not_read_when_every_needed_field_was() -> None:
    faint = ocr_line("星河云帆装饰工程有限公司", 300, 1250)
    engine = ScriptedLayoutEngine(full_landscape(), faint=[faint])
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, Settings(), reading_policy(Settings())
    )
    assert reading.result.unread == {}
    assert faint.text not in engine.recognized


def test_a_field_not_printed_costs_no_second_reading() -> None:
    # the authority only in the seal: its label is read and nothing lies beside or under it
    engine = ScriptedLayoutEngine(full_landscape(authority=None))
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, Settings(), reading_policy(Settings())
    )
    assert "issuing_authority" in reading.result.unread
    assert not {*SCOPE_LINES, *FOOTER_LINES} & set(engine.recognized)


def test_a_missing_value_in_a_box_left_unread_has_the_rest_read() -> None:
    # the issue date printed above the 登记机关 label, the long authority under it: below every
    # short line, so taken for the footer
    lines = [line for line in full_landscape(authority=None) if line.box[0][1] != 1000]
    lines += [
        ocr_line("2016年03月01日", 1020, 830),
        ocr_line("杭州市西湖区市场监督管理局文三路分局", 960, 935),
    ]
    engine = ScriptedLayoutEngine(lines)
    reading = read_document(
        blank_page(), "license.png", LICENSE, engine, Settings(), reading_policy(Settings())
    )
    assert reading.result.fields.issuing_authority == "杭州市西湖区市场监督管理局文三路分局"
    assert {*SCOPE_LINES, *FOOTER_LINES} <= set(engine.recognized)


@pytest.mark.parametrize(
    ("x", "y", "near"),
    [(1200, 880, True), (1000, 940, True), (1000, 1300, False), (100, 880, False)],
)
def test_a_value_may_be_beside_or_under_its_label(x: float, y: float, near: bool) -> None:
    label = ocr_line("登记机关", 1000, 880)
    box = ocr_line("某某市市场监督管理局某某分局某某所", x, y).box
    reading = PageReading(NormalizedPage(np.zeros((1, 1, 3), np.uint8), Quality()), [label],
                          TextSource.OCR, (box,))  # fmt: skip
    assert value_may_be_unread(reading, [("登记机关",)]) is near


@pytest.mark.ocr
def test_skimming_a_real_license_reads_the_same_fields(paddle_engine: OcrEngine) -> None:
    for packet in ("S08-number_mismatch", "S10-region_mismatch_org", "S01-clean_org"):
        data = (Path("samples/packets") / packet / "license.jpg").read_bytes()
        skimmed = read_document(
            data, "license.jpg", LICENSE, paddle_engine, Settings(), reading_policy(Settings())
        )
        full = read_document(
            data,
            "license.jpg",
            LICENSE,
            paddle_engine,
            Settings(skim=False),
            reading_policy(Settings(skim=False)),
        )
        assert skimmed.result.fields == full.result.fields, packet
        # the same lines: a recognizer batch of other widths moves confidences in the 3rd digit
        assert _texts_and_boxes(skimmed) == _texts_and_boxes(full), packet


def _texts_and_boxes(reading: DocumentReading) -> dict[str, tuple[str, Box]]:
    return {name: (proof.text, proof.box) for name, proof in reading.result.evidence.items()}
