"""Paragraphs of wide lines found by geometry, before their text is read."""

from pipeline.fields.paragraphs import paragraph_runs, stacked_above
from schemas import Box
from tests.test_fields_lines import ocr_line


def rect(left: float, top: float, right: float, height: float = 30) -> Box:
    return [(left, top), (right, top), (right, top + height), (left, top + height)]


def test_lines_wrapped_at_one_right_edge_are_a_paragraph() -> None:
    scope = [rect(300, 600 + 40 * row, 1000) for row in range(5)]
    address = [rect(1100, 600, 1500), rect(1100, 640, 1300)]  # wraps onto two lines
    runs = paragraph_runs(address + scope)
    assert runs == [[2, 3, 4, 5, 6]]


def test_two_lines_are_not_a_paragraph() -> None:
    assert paragraph_runs([rect(300, 600, 1000), rect(300, 640, 1000)]) == []


def test_a_gap_of_more_than_a_line_ends_the_paragraph() -> None:
    boxes = [rect(300, 600 + 40 * row, 1000) for row in range(3)]
    boxes += [rect(300, 800 + 40 * row, 1000) for row in range(2)]  # 80 px below: a new block
    assert paragraph_runs(boxes) == [[0, 1, 2]]


def test_lines_of_other_heights_or_right_edges_do_not_join() -> None:
    boxes = [rect(300, 600, 1000), rect(300, 640, 1000, height=60), rect(300, 710, 1000)]
    boxes += [rect(300, 750, 700), rect(300, 790, 1000)]  # a right edge 300 px short
    assert paragraph_runs(boxes) == []


def test_the_line_right_above_a_box_is_stacked_above_it() -> None:
    below = rect(300, 640, 1000)
    assert stacked_above(ocr_line("经营范围技术开发", 120, 600), below)
    assert not stacked_above(ocr_line("经营范围技术开发", 120, 500), below)  # too far up
    assert not stacked_above(ocr_line("经营范围", 1100, 600), below)  # beside, not above
