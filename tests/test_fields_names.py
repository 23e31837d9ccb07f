"""Text normalization and name comparison (pipeline.standards.text)."""

import pytest

from pipeline.standards.text import (
    edit_distance,
    normalize_text,
    one_char_off,
    same_name,
    strip_edge_noise,
    within_one_slip,
)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("有限责任公司（自然人投资或控股）", "有限责任公司(自然人投资或控股)"),
        ("名　　称", "名称"),  # ideographic spaces
        (" 张 三\t\n", "张三"),
        ("９１３３", "9133"),
        ("艾力·买买提", "艾力·买买提"),
    ],
)
def test_normalize_text(text: str, normalized: str) -> None:
    assert normalize_text(text) == normalized


def test_same_name_ignores_width_and_spaces() -> None:
    assert same_name("北京星河云帆科技有限公司（分公司）", "北京星河云帆科技有限公司 (分公司)")
    assert not same_name("北京星河云帆科技有限公司", "北京星河云帆科技有限责任公司")


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("张三", "张三", 0), ("张三", "张山", 1), ("张三", "张三丰", 1), ("张三", "李四", 2)],
)
def test_edit_distance(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second) == distance
    assert one_char_off(first, second) is (distance == 1)


def test_strip_edge_noise_keeps_inner_punctuation() -> None:
    assert strip_edge_noise("：艾力·买买提。") == "艾力·买买提"


@pytest.mark.parametrize(
    ("read", "printed", "expected"),
    [
        ("市场监督管理局", "市场监督管理局", True),
        ("市场盟督管理局", "市场监督管理局", True),  # one replaced
        ("市场监管理局", "市场监督管理局", True),  # one dropped
        ("市场盟管理局", "市场监督管理局", False),  # dropped and replaced
        ("市场监督管理局局", "市场监督管理局", False),  # an extra character is not a slip
    ],
)
def test_within_one_slip(read: str, printed: str, expected: bool) -> None:
    assert within_one_slip(read, printed) is expected
