"""Several valid repairs of a number: the recognizer's own output chooses, or the doubt stays."""

import numpy as np

from pipeline.fields.codes import supported_choice
from pipeline.fields.lines import Line
from pipeline.fields.numbers import NumberReading, repair_uscc
from pipeline.ocr.ctc import Charset, CtcMatrix
from schemas import TextSource

CHARSET = Charset(("blank", *"0123456789ABCDEFGHJKLMNPQRTUWXY", " "))
READ = "913701007478136831"  # the real 0081.jpg: its true number ends in J, read as 1
CANDIDATES = ("913701007478736831", "91370100747813683J")


def matrix(text: str, second: dict[int, tuple[str, float]]) -> CtcMatrix:
    """A line reading `text` (one step per character, a blank after each); at the positions in
    `second`, that character shares the step with another at the given probability."""
    probs = probabilities(text, second)
    return CtcMatrix.from_probs(probs, CHARSET, step_width=1 / len(probs))


def probabilities(text: str, second: dict[int, tuple[str, float]]) -> np.ndarray:
    """The softmax rows of `matrix`."""
    rows = np.full((2 * len(text), len(CHARSET)), 1e-4)
    for position, char in enumerate(text):
        step = 2 * position
        rows[step, CHARSET.characters.index(char)] = 0.97
        rows[step + 1, 0] = 0.99
        if position in second:
            other, share = second[position]
            rows[step, CHARSET.characters.index(char)] = 0.97 - share
            rows[step, CHARSET.characters.index(other)] = share
    return rows / rows.sum(axis=1, keepdims=True)


def line(ctc: CtcMatrix | None) -> Line:
    box = [(0.0, 0.0), (100.0, 0.0), (100.0, 10.0), (0.0, 10.0)]
    return Line(READ, READ, 0.9, box, 0, TextSource.OCR, 0.5, ctc)


def ambiguous() -> NumberReading:
    return NumberReading(READ, None, False, False, "无法确定", candidates=CANDIDATES)


def test_the_repair_the_pixels_support_is_chosen() -> None:
    ctc = matrix(READ, {17: ("J", 0.35), 12: ("7", 0.0005)})
    chosen = supported_choice(ambiguous(), READ, line(ctc))
    assert (chosen.value, chosen.valid, chosen.guessed) == ("91370100747813683J", True, True)
    assert chosen.note is not None and "按识别器输出选定「91370100747813683J」" in chosen.note


def test_two_repairs_the_pixels_support_alike_stay_a_doubt() -> None:
    ctc = matrix(READ, {17: ("J", 0.3), 12: ("7", 0.3)})
    assert supported_choice(ambiguous(), READ, line(ctc)) == ambiguous()


def test_without_the_recognizer_output_the_doubt_stays() -> None:
    assert supported_choice(ambiguous(), READ, line(None)) == ambiguous()


def test_a_character_lost_between_two_steps_is_put_back_where_the_pixels_show_it() -> None:
    """The real 0509.jpg: 91510107MA61RTQ35N read without its A, which still shows in the
    blank step after the M."""
    read = "91510107M61RTQ35N"
    probs = probabilities(read, {})
    probs[2 * 8 + 1, CHARSET.characters.index("A")] = 0.35  # the blank step after M
    probs = probs / probs.sum(axis=1, keepdims=True)
    ctc = CtcMatrix.from_probs(probs, CHARSET, step_width=1 / len(probs))
    box = [(0.0, 0.0), (100.0, 0.0), (100.0, 10.0), (0.0, 10.0)]
    short = Line(read, read, 0.9, box, 0, TextSource.OCR, 0.5, ctc)
    chosen = supported_choice(repair_uscc(read), read, short)
    assert (chosen.value, chosen.guessed) == ("91510107MA61RTQ35N", True)
