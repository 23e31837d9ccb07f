"""CTC matrices from the real PaddleOCR engine, and claims scored against them."""

import random

import numpy as np
import pytest
from PIL import Image

from pipeline.decode import decode_document
from pipeline.document import read_page
from pipeline.fields.skim import reading_policy
from pipeline.ocr.base import OcrLine
from pipeline.ocr.claims import align, score_claim, score_over_lines
from pipeline.ocr.ctc import KEEP_ABOVE, read_text
from pipeline.ocr.paddle import PaddleEngine, time_steps
from pipeline.settings import Settings
from samples.generator import (
    capture,
    make_company,
    make_person,
    random_license_layout,
    render_id_front,
    render_license,
)
from schemas import DocumentFields

pytestmark = [pytest.mark.ocr]

NAME = "北京星河科技有限公司"
_PAGES: dict[tuple[str, str], tuple[list[OcrLine], DocumentFields]] = {}


@pytest.fixture(scope="module")
def engine() -> PaddleEngine:
    """The real engine (its own: some tests switch its matrices to exact)."""
    return PaddleEngine(Settings())


def _render(kind: str, rng: random.Random) -> tuple[Image.Image, DocumentFields]:
    """A license named NAME, or an ID front, in 北京."""
    if kind == "license":
        company = make_company(rng, "北京市").model_copy(update={"name": NAME})
        return render_license(company, random_license_layout(rng), rng)
    return render_id_front(make_person(rng, "北京市"), rng)


def page_lines(engine: PaddleEngine, kind: str, mode: str) -> tuple[list[OcrLine], DocumentFields]:
    """The lines the product's page reader gets from a generated document (read once)."""
    if (kind, mode) not in _PAGES:
        _PAGES[kind, mode] = read_generated(engine, kind, mode)
    return _PAGES[kind, mode]


def read_generated(
    engine: PaddleEngine, kind: str, mode: str
) -> tuple[list[OcrLine], DocumentFields]:
    """Render, capture and read one document through the product's page reader."""
    rng = random.Random(f"ctc-{kind}-{mode}")
    image, truth = _render(kind, rng)
    settings = Settings()
    page = decode_document(capture(image, mode, rng), "doc.jpg", settings)[0]
    return read_page(page, engine, settings, reading_policy(settings)).lines, truth


def holding(lines: list[OcrLine], value: str) -> OcrLine:
    """The line whose text holds the value best (fewest differences)."""

    def differences(line: OcrLine) -> int:
        _, _, pairs = align(list(value), list(line.text), free_ends=True)
        return sum(c is None or r is None or value[c] != line.text[r] for c, r in pairs)

    return min(lines, key=differences)


@pytest.mark.parametrize(("kind", "mode"), [("license", "scan"), ("id_front", "photo")])
def test_every_line_has_a_matrix_whose_greedy_reading_is_its_text(
    engine: PaddleEngine, kind: str, mode: str
) -> None:
    lines, _ = page_lines(engine, kind, mode)
    assert len(lines) > 5
    for line in lines:
        assert line.ctc is not None
        assert read_text(line.ctc).strip() == line.text


def test_read_gives_matrices_trimmed_to_each_crop(engine: PaddleEngine) -> None:
    image = np.asarray(_render("license", random.Random(3))[0])[:, :, ::-1].copy()
    lines = engine.read(image)
    steps = {line.ctc.steps for line in lines if line.ctc}
    assert len(steps) > 10  # every line its own length, not its batch's
    for line in lines:
        assert line.ctc is not None and read_text(line.ctc).strip() == line.text


@pytest.mark.parametrize(("width", "steps"), [(12, 1), (13, 2), (324, 40), (325, 41), (853, 107)])
def test_time_steps_match_the_recognizer(engine: PaddleEngine, width: int, steps: int) -> None:
    recognizer = engine._system.text_recognizer
    recognizer.input_tensor.copy_from_cpu(np.zeros((1, 3, 48, width), np.float32))
    recognizer.predictor.run()
    assert recognizer.output_tensors[0].copy_to_cpu().shape[1] == steps == time_steps(width)


@pytest.mark.parametrize("mode", ["scan", "blurry"])
def test_the_true_name_scores_far_above_a_one_character_change(
    engine: PaddleEngine, mode: str
) -> None:
    lines, _ = page_lines(engine, "license", mode)
    matrix = holding(lines, NAME).ctc
    assert matrix is not None
    truth = score_claim(matrix, NAME)
    added = score_claim(matrix, "北京星河云科技有限公司")
    changed = score_claim(matrix, "北京星海科技有限公司")
    assert truth.margin is not None and truth.margin > -3  # blurred: read 北京河科技有限公司, -1.7
    assert added.margin is not None and added.margin < truth.margin - 8
    assert changed.margin is not None and changed.margin < truth.margin - 8
    assert ("云", "") in [(d.claimed, d.read) for d in added.doubts]
    assert ("海", "河") in [(d.claimed, d.read) for d in changed.doubts]


def test_the_id_number_with_one_digit_changed_is_far_less_likely(engine: PaddleEngine) -> None:
    lines, truth = page_lines(engine, "id_front", "scan")
    number = truth.number or ""
    matrix = holding(lines, number).ctc
    assert matrix is not None
    typo = number[:9] + str((int(number[9]) + 5) % 10) + number[10:]
    assert score_claim(matrix, number, located=number).margin == pytest.approx(0.0, abs=0.5)
    (doubt,) = score_claim(matrix, typo, located=number).doubts
    assert (doubt.claimed, doubt.read) == (typo[9], number[9])
    assert doubt.read_prob is not None and doubt.read_prob > 0.9
    low, high = doubt.span
    assert 0.0 < low < high < 1.0


def test_a_name_over_two_lines_scores_as_one(engine: PaddleEngine) -> None:
    lines, _ = page_lines(engine, "license", "scan")
    line = holding(lines, NAME)
    assert line.ctc is not None
    both = score_over_lines([line.ctc, line.ctc], NAME + NAME)
    assert both.margin == pytest.approx(0.0, abs=0.5)


def substituted(text: str, at: int) -> str:
    """The text with the character at `at` replaced by a different common one."""
    other = "国" if text[at] != "国" else "家"
    return text[:at] + other + text[at + 1 :]


@pytest.mark.parametrize("mode", ["scan", "blurry"])
def test_sparse_matrices_score_like_exact_ones(engine: PaddleEngine, mode: str) -> None:
    """Sparse (KEEP_ABOVE) against exact (every class kept) on every line of a license:
    readings within 0.1 nats; a changed or dropped character's margin within 0.1 nats when
    the exact one is above log(KEEP_ABOVE) + 2, and never lower than the exact one."""
    sparse, _ = page_lines(engine, "license", mode)
    engine._ctc.keep_above = 0.0
    try:
        exact, _ = read_generated(engine, "license", mode)
    finally:
        engine._ctc.keep_above = KEEP_ABOVE
    assert [line.text for line in exact] == [line.text for line in sparse]
    near = np.log(KEEP_ABOVE) + 2
    sizes = [
        (k.ctc.nbytes, e.ctc.nbytes) for k, e in zip(sparse, exact, strict=True) if k.ctc and e.ctc
    ]
    assert sum(k for k, _ in sizes) < sum(e for _, e in sizes) / 10
    for kept, every in zip(sparse, exact, strict=True):
        assert kept.ctc is not None and every.ctc is not None
        text = kept.text
        reading = score_claim(kept.ctc, text).reading_log_prob
        assert reading == pytest.approx(score_claim(every.ctc, text).reading_log_prob, abs=0.1)
        for claim in {substituted(text, len(text) // 2), text[:-1]} - {text, ""}:
            margin = score_claim(kept.ctc, claim, located=text).margin
            truth = score_claim(every.ctc, claim, located=text).margin
            assert margin is not None and truth is not None
            assert margin >= truth - 1e-3
            if truth > near:
                assert margin == pytest.approx(truth, abs=0.1)
