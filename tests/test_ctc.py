"""CTC forward scores, greedy decoding, compact matrices and claim scoring (no engine)."""

import itertools
import math

import numpy as np
import pytest

from pipeline.ocr.base import OcrLine
from pipeline.ocr.claims import align, score_claim, score_over_lines, span_box
from pipeline.ocr.ctc import (
    BLANK,
    Charset,
    CtcMatrix,
    best_path,
    concatenate,
    forward_log_prob,
    read_text,
)

CHARSET = Charset(("blank", *"北京星河云科技名称(（张三", " "))


def brute_force(probs: np.ndarray, labels: list[int]) -> float:
    """log P(labels): every path of T classes, collapsed (repeats merged, blanks dropped)."""
    total = 0.0
    for path in itertools.product(range(probs.shape[1]), repeat=probs.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != BLANK and (i == 0 or c != path[i - 1])]
        if collapsed == labels:
            total += math.prod(probs[t, c] for t, c in enumerate(path))
    return math.log(total) if total > 0 else float("-inf")


def random_probs(rng: np.random.Generator, steps: int, classes: int) -> np.ndarray:
    """A [T, C] matrix of rows summing to one."""
    raw = rng.random((steps, classes)) ** 3 + 1e-3
    return raw / raw.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(40))
def test_forward_equals_the_sum_over_every_alignment(seed: int) -> None:
    rng = np.random.default_rng(seed)
    steps, classes = int(rng.integers(1, 7)), int(rng.integers(2, 5))
    probs = random_probs(rng, steps, classes)
    labels = [int(c) for c in rng.integers(1, classes, size=int(rng.integers(0, 4)))]
    expected = brute_force(probs, labels)
    got = forward_log_prob(np.log(probs), labels)
    if expected == float("-inf"):
        assert got == float("-inf")
    else:
        assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_the_forward_scores_of_all_strings_sum_to_one(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    probs = random_probs(rng, 4, 3)
    strings = [list(s) for n in range(5) for s in itertools.product((1, 2), repeat=n)]
    total = sum(math.exp(forward_log_prob(np.log(probs), s)) for s in strings)
    assert total == pytest.approx(1.0, abs=1e-12)


def test_a_repeated_character_needs_a_blank_between() -> None:
    probs = np.array([[0.1, 0.9], [0.1, 0.9]])
    assert forward_log_prob(np.log(probs), [1, 1]) == float("-inf")  # 2 steps, needs 3
    assert forward_log_prob(np.log(probs), [1]) == pytest.approx(math.log(0.9 * 0.9 + 2 * 0.09))
    three = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]) * 0.98 + 0.01
    assert forward_log_prob(np.log(three), [1, 1]) == pytest.approx(math.log(0.99**3))


def test_best_path_collapses_the_likeliest_path() -> None:
    probs = np.array([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.7, 0.2]])
    indices, log_prob = best_path(np.log(probs))
    assert indices == [1, 1]
    assert log_prob == pytest.approx(math.log(0.8 * 0.7 * 0.6 * 0.7))


@pytest.mark.parametrize("seed", range(5))
def test_a_greedy_reading_scores_at_least_its_best_path(seed: int) -> None:
    probs = random_probs(np.random.default_rng(200 + seed), 6, 4)
    indices, path_log_prob = best_path(np.log(probs))
    assert forward_log_prob(np.log(probs), indices) >= path_log_prob - 1e-12


def test_a_sparse_matrix_keeps_the_likely_classes_and_an_upper_bound_for_the_rest() -> None:
    probs = np.array([[0.5, 0.3, 0.15, 0.05], [0.01, 0.02, 0.9, 0.07]])
    full = CtcMatrix.from_probs(probs, Charset(("blank", "a", "b", "c")), keep_above=0)
    assert np.allclose(full.dense(), np.log(probs))
    sparse = CtcMatrix.from_probs(probs, full.charset, keep_above=0.06)
    assert sparse.classes.tolist() == [0, 1, 2, 2, 3]  # by step, likeliest first
    assert sparse.starts.tolist() == [0, 3, 5]
    floors = sparse.columns([3, 0])
    assert floors[0, 0] == pytest.approx(math.log(0.05))  # the rest (0.05) < 0.06
    assert floors[1, 1] == pytest.approx(math.log(0.03))
    assert np.allclose(sparse.columns([2]).ravel(), np.log([0.15, 0.9]))
    assert read_text(sparse) == "b"


@pytest.mark.parametrize(("others", "bound"), [(4, 0.005), (20, 0.01)])
def test_a_class_not_kept_is_bounded_by_the_threshold_and_the_rest(
    others: int, bound: float
) -> None:
    """`others` + 1 classes (the blank too) at 0.001: the floor is their sum or 0.01."""
    probs = np.full((1, others + 2), 0.001)
    probs[0, 1] = 1 - 0.001 * (others + 1)
    probs[0, 0] = 0.001
    charset = Charset(("blank", *(chr(0x4E00 + i) for i in range(others + 1))))
    sparse = CtcMatrix.from_probs(probs, charset, keep_above=0.01)
    assert sparse.classes.tolist() == [1]
    assert sparse.columns([2])[0, 0] == pytest.approx(math.log(bound))


def line(text: str, sure: float = 0.98, steps_per_char: int = 3, turned: bool = False) -> CtcMatrix:
    """A matrix reading `text`: each character for one step, then blanks."""
    classes = len(CHARSET)
    rows = []
    for char in text:
        index = CHARSET.characters.index(char)
        rows += [index] + [BLANK] * (steps_per_char - 1)
    probs = np.full((len(rows), classes), (1 - sure) / (classes - 1))
    probs[np.arange(len(rows)), rows] = sure
    return CtcMatrix.from_probs(probs, CHARSET, step_width=1 / len(rows), turned=turned)


def test_a_claim_equal_to_the_reading_scores_like_it() -> None:
    score = score_claim(line("北京星河"), "北京星河")
    assert score.reading == score.matched == score.claimed == "北京星河"
    assert score.margin == 0.0
    assert score.claim_log_prob is not None
    assert score.claim_log_prob >= score.best_path_log_prob
    assert score.doubts == ()


def test_a_different_character_is_a_doubt_where_the_reading_has_it() -> None:
    score = score_claim(line("北京星河科技"), "北京云河科技")
    assert score.margin is not None and score.margin < -5
    (doubt,) = score.doubts
    assert (doubt.claimed, doubt.read, doubt.steps, doubt.line) == ("云", "星", (6, 7), 0)
    assert doubt.span == pytest.approx((6 / 18, 7 / 18))
    assert doubt.read_prob == pytest.approx(0.98)
    assert doubt.claimed_prob is not None and doubt.claimed_prob < 0.01


def test_an_added_character_is_a_doubt_in_the_gap() -> None:
    score = score_claim(line("北京星河科技"), "北京星河云科技")
    (doubt,) = score.doubts
    assert (doubt.claimed, doubt.read, doubt.steps) == ("云", "", (10, 12))
    assert score.margin is not None and score.margin < -5


def test_a_character_outside_the_charset_is_its_own_outcome() -> None:
    score = score_claim(line("北京星河"), "北京星海")
    assert score.unknown == ("海",)
    assert score.claim_log_prob is None and score.margin is None
    assert [(d.claimed, d.read) for d in score.doubts] == [("海", "河")]


def test_full_and_half_width_forms_are_the_same_character() -> None:
    score = score_claim(line("北京（云"), "北京(云")
    assert score.doubts == ()
    assert score.margin == pytest.approx(0.0, abs=1e-6)


def test_label_debris_around_the_claim_stays_as_read() -> None:
    score = score_claim(line("名称北京星河"), "北京星河")
    assert (score.matched, score.margin, score.doubts) == ("北京星河", 0.0, ())


def test_a_located_field_is_replaced_whole() -> None:
    score = score_claim(line("名称北京星河科技"), "北京星河", located="北京星河科技")
    assert score.matched == "北京星河科技"
    assert [(d.claimed, d.read) for d in score.doubts] == [("", "科"), ("", "技")]
    assert score.margin is not None and score.margin < -5


def test_spaces_in_the_reading_are_not_differences() -> None:
    score = score_claim(line("张 三"), "张三")
    assert score.doubts == ()
    assert score.margin == 0.0


def test_a_claim_spans_lines_in_reading_order() -> None:
    first, second = line("北京星河"), line("科技")
    assert score_over_lines([first, second], "北京星河科技").margin == 0.0
    score = score_over_lines([first, second], "北京星河云技")
    (doubt,) = score.doubts
    assert (doubt.claimed, doubt.read, doubt.line) == ("云", "科", 1)
    assert doubt.steps == (13, 14)  # 12 steps of the first line, one separator
    assert doubt.span == pytest.approx((0.0, 1 / 6))


def test_a_character_ending_one_line_and_starting_the_next_stays_two() -> None:
    joined, starts = concatenate([line("北京河"), line("河科")])
    assert read_text(joined) == "北京河河科"
    assert starts == [0, 10]
    assert score_over_lines([line("北京河"), line("河科")], "北京河河科").margin == 0.0


def test_a_turned_crop_maps_its_steps_right_to_left() -> None:
    (doubt,) = score_claim(line("北京", turned=True), "北云").doubts
    assert doubt.steps == (3, 4)  # of 6
    assert doubt.span == pytest.approx((1 / 3, 1 / 2))


def test_the_best_part_of_the_reading_is_the_rightmost_of_equals() -> None:
    start, end, pairs = align(list("北京云"), list("名北京星河"), free_ends=True)
    assert (start, end) == (1, 4)
    assert pairs == [(0, 1), (1, 2), (2, 3)]


def test_a_span_of_a_box_follows_its_edges() -> None:
    box = [(0.0, 0.0), (100.0, 10.0), (100.0, 40.0), (0.0, 30.0)]
    assert span_box(box, (0.5, 1.0)) == [(50.0, 5.0), (100.0, 10.0), (100.0, 40.0), (50.0, 35.0)]


def test_a_line_s_matrix_is_left_out_of_its_equality_and_repr() -> None:
    box = [(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 5.0)]
    with_matrix = OcrLine("北京", 0.9, box, ctc=line("北京"))
    assert with_matrix == OcrLine("北京", 0.9, box)
    assert "ctc" not in repr(with_matrix)
