"""Line geometry and label/value pairing; also the builders the other field tests use."""

import pytest

from pipeline.fields.labels import (
    find_labels,
    label_length,
    merge_spaced_labels,
    read_value,
)
from pipeline.fields.lines import Line, join_texts, same_row, to_lines
from pipeline.ocr.base import OcrLine

Quad = tuple[float, float, float, float, float, float, float, float]


def ocr_line(
    text: str,
    x: float,
    y: float,
    height: float = 30,
    width: float | None = None,
    confidence: float = 0.99,
    tilt: float = 0.0,
) -> OcrLine:
    """A line as PaddleOCR returns it: quad clockwise from top-left, tilted by `tilt` (dy/dx)."""
    if width is None:
        width = sum(0.55 if char.isascii() else 1.0 for char in text) * height
    rise = tilt * width
    box = [(x, y), (x + width, y + rise), (x + width, y + rise + height), (x, y + height)]
    return OcrLine(text, confidence, box)


def real_line(text: str, confidence: float, quad: Quad) -> OcrLine:
    """A line copied from a real PaddleOCR result (text, score, 8 coordinates)."""
    x0, y0, x1, y1, x2, y2, x3, y3 = quad
    return OcrLine(text, confidence, [(x0, y0), (x1, y1), (x2, y2), (x3, y3)])


def lines_of(*ocr_lines: OcrLine) -> list[Line]:
    """One page of OCR lines as extractor lines."""
    return to_lines([list(ocr_lines)])


LABELS = ("名称", "住所", "登记机关", "统一社会信用代码", "类型", "经营范围")


@pytest.mark.parametrize(
    ("text", "label", "length"),
    [
        ("名称北京星河", "名称", 2),
        ("统一社会信用代玛", "统一社会信用代码", 8),  # one misread character in a long label
        ("统一杜会信用代玛", "统一社会信用代码", None),  # two
        ("名祢", "名称", None),  # short labels must be exact
        ("称名", "名称", None),
    ],
)
def test_label_length(text: str, label: str, length: int | None) -> None:
    assert label_length(text, label) == length


@pytest.mark.parametrize("tilt", [0.0, 0.02, -0.03])
def test_same_row_follows_the_slope_of_the_wider_line(tilt: float) -> None:
    label = ocr_line("住", 100, 300, tilt=0.0)
    value = ocr_line("浙江省杭州市西湖区文三路100号3幢", 200, 300 + tilt * 100, tilt=tilt)
    below = ocr_line("下一行", 200, 350 + tilt * 100, tilt=tilt)
    first, second, third = lines_of(label, value, below)
    rows = {line.text: line for line in (first, second, third)}
    assert same_row(rows["住"], rows["浙江省杭州市西湖区文三路100号3幢"])
    assert not same_row(rows["住"], rows["下一行"])


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        ([("名", 100), ("称", 160), ("杭州青禾数据科技有限公司", 280)], "名称"),
        ([("登", 100), ("记", 150), ("机", 200), ("关", 250)], "登记机关"),
        ([("名", 100), ("称杭州青禾数据科技有限公司", 160)], "名称杭州青禾数据科技有限公司"),
    ],
)
def test_spaced_label_pieces_are_merged(pieces: list[tuple[str, float]], expected: str) -> None:
    lines = merge_spaced_labels(lines_of(*(ocr_line(t, x, 400) for t, x in pieces)), LABELS)
    assert expected in [line.text for line in lines]


def test_single_characters_far_apart_are_not_a_label() -> None:
    lines = merge_spaced_labels(
        lines_of(ocr_line("名", 100, 400), ocr_line("称", 600, 400)), LABELS
    )
    assert sorted(line.text for line in lines) == ["名", "称"]


def _value(*ocr_lines: OcrLine, label: tuple[str, ...] = ("名称",), max_lines: int = 1) -> str:
    lines = merge_spaced_labels(lines_of(*ocr_lines), LABELS)
    hit = find_labels(lines, label)[0]
    value = read_value(hit, lines, LABELS, max_lines)
    assert value is not None
    return value.text


@pytest.mark.parametrize(
    "layout",
    [
        [ocr_line("名称北京星河云帆科技有限公司", 100, 100)],
        [ocr_line("名称：北京星河云帆科技有限公司", 100, 100)],
        [ocr_line("名称", 100, 100), ocr_line("北京星河云帆科技有限公司", 240, 102)],
        [ocr_line("名 称", 100, 100), ocr_line("北京星河云帆科技有限公司", 240, 97)],
        [
            ocr_line("名", 100, 100),
            ocr_line("称", 160, 101),
            ocr_line("北京星河云帆科技有限公司", 260, 100),
        ],
        [ocr_line("名称", 100, 100), ocr_line("北京星河云帆科技有限公司", 130, 140)],
        [
            ocr_line("名称", 100, 100),
            ocr_line("北京星河云帆", 240, 100),
            ocr_line("科技有限公司", 430, 100),
        ],
    ],
    ids=["merged", "colon", "right", "spaced", "pieces", "below", "split"],
)
def test_a_value_is_found_wherever_paddleocr_puts_it(layout: list[OcrLine]) -> None:
    assert _value(*layout) == "北京星河云帆科技有限公司"


def test_a_wrapped_value_joins_its_continuation_but_not_the_next_row() -> None:
    value = _value(
        ocr_line("名称", 100, 100),
        ocr_line("北京星河云帆科技有限公司第一", 240, 100),
        ocr_line("分公司", 240, 134),
        ocr_line("类型", 100, 190),
        ocr_line("有限责任公司分公司", 240, 190),
        max_lines=3,
    )
    assert value == "北京星河云帆科技有限公司第一分公司"


def test_a_merged_label_value_line_continues_under_the_value_not_the_label() -> None:
    value = _value(
        ocr_line("住所浙江省杭州市西湖区", 100, 100),
        ocr_line("文三路100号", 160, 134),
        label=("住所",),
        max_lines=3,
    )
    assert value == "浙江省杭州市西湖区文三路100号"


def test_a_label_with_only_another_label_beside_it_takes_the_value_below() -> None:
    value = _value(
        ocr_line("名称", 100, 100),
        ocr_line("类型", 700, 100),
        ocr_line("北京星河云帆科技有限公司", 130, 140),
    )
    assert value == "北京星河云帆科技有限公司"


def test_the_value_of_a_label_stops_at_the_next_label_on_its_row() -> None:
    value = _value(
        ocr_line("名称", 100, 100),
        ocr_line("北京星河云帆科技有限公司", 180, 100),
        ocr_line("类型", 600, 100),
        ocr_line("有限责任公司", 680, 100),
    )
    assert value == "北京星河云帆科技有限公司"


def test_a_label_without_any_value_reads_nothing() -> None:
    lines = lines_of(ocr_line("名称", 100, 100), ocr_line("类型", 100, 300))
    hit = find_labels(lines, ("名称",))[0]
    assert read_value(hit, lines, LABELS) is None


def test_characters_read_twice_where_boxes_overlap_are_dropped() -> None:
    # the seal splits 哈尔滨市道外区市场监督管理局; PaddleOCR reads 市 in both pieces
    pieces = lines_of(
        real_line("哈尔滨市", 0.993, (753, 1438, 825, 1438, 825, 1467, 753, 1467)),
        real_line("市道外区市场监督", 0.967, (822, 1438, 965, 1432, 966, 1454, 823, 1461)),
        real_line("管理局", 0.953, (976, 1432, 1025, 1432, 1025, 1456, 976, 1456)),
    )
    assert join_texts(sorted(pieces, key=lambda line: line.left)) == "哈尔滨市道外区市场监督管理局"


def test_to_lines_normalizes_text_and_drops_empty_lines() -> None:
    lines = to_lines([[ocr_line("有限责任公司 （自然人投资或控股）", 0, 0), ocr_line("  ", 0, 50)]])
    assert [line.text for line in lines] == ["有限责任公司(自然人投资或控股)"]


def test_a_long_label_missing_one_character_on_a_line_of_its_own_is_found() -> None:
    lines = lines_of(ocr_line("登记机", 100, 100), ocr_line("杭州市西湖区市场监督管理局", 60, 140))
    hit = find_labels(lines, ("登记机关",))[0]
    value = read_value(hit, lines, LABELS)
    assert value is not None and value.text == "杭州市西湖区市场监督管理局"


def test_a_spaced_label_piece_that_rereads_the_glyph_before_it_is_merged() -> None:
    # PaddleOCR read 住 | 主所 where the second box overlaps the first
    pieces = [
        real_line("住", 0.999, (663, 550, 690, 550, 690, 571, 663, 571)),
        real_line("主所", 0.802, (679, 546, 758, 546, 758, 575, 679, 575)),
    ]
    lines = merge_spaced_labels(lines_of(*pieces), LABELS)
    assert [line.text for line in lines] == ["住所"]
