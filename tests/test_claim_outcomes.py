"""Form values judged against the recognizer's output of a field's lines: supported,
contradicted or unclear, and the flag each raises (hand-built CTC matrices, no engine)."""

import string

import numpy as np
import pytest

from pipeline.checks import check_packet_rules
from pipeline.checks.claims import judge_claim
from pipeline.field_lines import FieldLines, field_lines
from pipeline.ocr.base import OcrLine
from pipeline.ocr.ctc import Charset, CtcMatrix
from pipeline.packet import declared_kinds
from schemas import ComparisonOutcome, FieldComparison, FieldEvidence, FilingForm, Flag, Severity
from tests.test_checks import TODAY, USCC, back_doc, front_doc, license_doc, org_form

NAME = "北京星河云帆科技有限公司"
CHARSET = Charset(
    ("blank", *sorted(set(NAME + "凡名称李明远" + string.digits + string.ascii_uppercase)), " ")
)
BOX = [(100.0, 50.0), (400.0, 50.0), (400.0, 80.0), (100.0, 80.0)]
SURE = 0.98


def matrix_of(
    text: str,
    unsure: dict[int, dict[str, float]] | None = None,
    after: dict[int, dict[str, float]] | None = None,
) -> CtcMatrix:
    """A line reading `text`: each character one sure step then a blank step; `unsure`
    gives, by character index, the probabilities of that step instead, `after` those of
    the blank step after it."""
    unsure, after = unsure or {}, after or {}
    rows = []
    for at, char in enumerate(text):
        rows.append(_row(unsure.get(at, {char: SURE})))
        rows.append(_row(after.get(at, {"blank": SURE})))
    return CtcMatrix.from_probs(np.array(rows), CHARSET, step_width=1 / len(rows))


def _row(probs: dict[str, float]) -> np.ndarray:
    row = np.full(len(CHARSET), 0.0)
    for char, p in probs.items():
        row[CHARSET.characters.index(char)] = p
    rest = 1.0 - row.sum()
    row[row == 0] = rest / max(int((row == 0).sum()), 1)
    return row


def lines_of(matrix: CtcMatrix) -> FieldLines:
    return FieldLines(0, (matrix,), (BOX,))


def check(
    form: FilingForm, field: str, value: str, matrix: CtcMatrix
) -> tuple[list[Flag], FieldComparison]:
    read = {"name": NAME, "number": USCC, field: value}
    documents = [license_doc(name=read["name"], number=read["number"]), front_doc(), back_doc()]
    lines = {"license.jpg": {field: lines_of(matrix)}}
    flags, found = check_packet_rules(form, documents, declared_kinds(form), TODAY, lines)  # type: ignore[dict-item]
    compared = next(c for c in found if c.document == "license.jpg" and c.document_field == field)
    return [f for f in flags if f.document == "license.jpg"], compared


def test_a_value_read_as_claimed_is_supported_with_a_zero_margin() -> None:
    judgement = judge_claim(NAME, NAME, lines_of(matrix_of(NAME)))
    assert judgement is not None
    assert judgement.outcome is ComparisonOutcome.SUPPORTED
    assert judgement.margin == pytest.approx(0.0, abs=1e-6)
    assert judgement.doubts == ()


def test_a_difference_in_a_character_the_recognizer_was_unsure_of_is_supported() -> None:
    # read 帆 at 0.55, the form's 凡 at 0.40: the form's value is about as likely
    matrix = matrix_of(NAME, {5: {"帆": 0.55, "凡": 0.40}})
    flags, compared = check(org_form(subject__name=NAME.replace("帆", "凡")), "name", NAME, matrix)
    assert flags == []
    assert compared.outcome is ComparisonOutcome.SUPPORTED
    assert compared.margin == pytest.approx(np.log(0.40 / 0.55), abs=0.01)
    [doubt] = compared.doubts
    assert (doubt.form_char, doubt.document_char, doubt.clear) == ("凡", "帆", False)
    assert doubt.form_char_probability == pytest.approx(0.40, abs=1e-3)


def test_a_character_the_recognizer_was_sure_of_contradicts_the_form() -> None:
    matrix = matrix_of(NAME, {5: {"帆": 0.999, "凡": 1e-5}})
    flags, compared = check(org_form(subject__name=NAME.replace("帆", "凡")), "name", NAME, matrix)
    assert [(f.code.value, f.severity) for f in flags] == [("NAME_MISMATCH", Severity.ERROR)]
    assert compared.outcome is ComparisonOutcome.CONTRADICTED
    assert compared.margin is not None and compared.margin < -3
    assert [d.clear for d in compared.doubts] == [True]


def test_a_doubt_in_between_is_unclear_a_warning_naming_the_characters() -> None:
    # 帆 at 0.90, 凡 at 0.05: far less likely, but the recognizer did see it
    matrix = matrix_of(NAME, {5: {"帆": 0.90, "凡": 0.05}})
    flags, compared = check(org_form(subject__name=NAME.replace("帆", "凡")), "name", NAME, matrix)
    assert [(f.code.value, f.severity) for f in flags] == [("NAME_MISMATCH", Severity.WARNING)]
    assert compared.outcome is ComparisonOutcome.UNCLEAR
    assert "表单「凡」/证件「帆」" in flags[0].message


def test_a_character_the_form_leaves_out_but_the_document_prints_clearly_contradicts() -> None:
    form = org_form(subject__name=NAME.replace("云", ""))
    flags, compared = check(form, "name", NAME, matrix_of(NAME))
    assert compared.outcome is ComparisonOutcome.CONTRADICTED
    assert [(d.form_char, d.document_char) for d in compared.doubts] == [("", "云")]
    assert flags[0].severity is Severity.ERROR


def test_a_number_read_with_a_failing_check_character_is_not_a_contradiction() -> None:
    misread = USCC[:-1] + ("D" if USCC[-1] != "D" else "E")
    flags, compared = check(org_form(), "number", misread, matrix_of(misread))
    assert compared.outcome is ComparisonOutcome.UNCLEAR
    [mismatch] = [f for f in flags if f.code.value == "NUMBER_MISMATCH"]
    assert mismatch.severity is Severity.WARNING
    assert "未通过校验" in mismatch.message


def test_without_recognizer_output_the_text_rule_decides() -> None:
    form = org_form(subject__name=NAME.replace("帆", "凡"))
    documents = [license_doc(), front_doc(), back_doc()]
    _, found = check_packet_rules(form, documents, declared_kinds(form), TODAY)
    compared = next(c for c in found if c.document_field == "name" and c.document == "license.jpg")
    assert compared.outcome is ComparisonOutcome.CONTRADICTED
    assert compared.margin is None and compared.doubts == []


def test_field_lines_are_the_recognized_lines_that_make_up_the_evidence_box() -> None:
    inside = OcrLine("北京星河", 0.99, [(100, 50), (250, 50), (250, 80), (100, 80)])
    inside = OcrLine(inside.text, 0.99, inside.box, ctc=matrix_of("北京星河"))
    beside = OcrLine("名称", 0.99, [(10, 50), (90, 50), (90, 80), (10, 80)], ctc=matrix_of("名称"))
    no_matrix = OcrLine("云帆", 0.99, [(260, 50), (400, 50), (400, 80), (260, 80)])
    proof = FieldEvidence(text="北京星河云帆", confidence=0.99, box=BOX)
    found = field_lines([[no_matrix, beside, inside]], {"name": proof})
    assert found["name"].boxes == (inside.box,)
    assert found["name"].matrices == (inside.ctc,)
    assert field_lines([[inside]], {"number": proof}, wanted=("name",)) == {}


def test_a_line_the_value_was_cut_from_is_a_field_line_its_neighbours_are_not() -> None:
    # the value 北京星河 was cut from a line that runs on into the next column
    whole = OcrLine(
        "北京星河注册资本",
        0.99,
        [(100, 50), (400, 50), (400, 80), (100, 80)],
        ctc=matrix_of("北京星河"),
    )
    above = OcrLine(
        "名称", 0.99, [(100, 10), (300, 10), (300, 45), (100, 45)], ctc=matrix_of("名称")
    )
    touching = OcrLine("李明远", 0.99, [(249, 50), (330, 50), (330, 80), (249, 80)])
    touching = OcrLine(touching.text, 0.99, touching.box, ctc=matrix_of("李明远"))
    proof = FieldEvidence(
        text="北京星河", confidence=0.99, box=[(100, 50), (250, 50), (250, 80), (100, 80)]
    )
    found = field_lines([[above, whole]], {"name": proof})
    assert found["name"].boxes == (whole.box,)
    assert field_lines([[touching]], {"name": proof}) == {}


def test_an_absent_claimed_character_where_the_reading_was_unsure_is_no_clear_doubt() -> None:
    # a blurred 帆 read at 0.5, the form's 凡 at 0.004: the recognizer saw neither well
    matrix = matrix_of(NAME, {5: {"帆": 0.5, "凡": 0.004}})
    judgement = judge_claim(NAME.replace("帆", "凡"), NAME, lines_of(matrix))
    assert judgement is not None
    assert [d.clear for d in judgement.doubts] == [False]
    assert judgement.outcome is ComparisonOutcome.UNCLEAR


def test_on_a_degraded_capture_an_added_character_alone_needs_a_wider_margin() -> None:
    # the form adds 云 where nothing was read; it peaks at 0.005 there
    matrix = matrix_of(NAME, after={5: {"blank": 0.98, "云": 0.005}})
    claim = NAME.replace("帆科", "帆云科")
    sharp = judge_claim(claim, NAME, lines_of(matrix))
    blurred = judge_claim(claim, NAME, lines_of(matrix), degraded=True)
    assert sharp is not None and blurred is not None
    assert [d.clear for d in sharp.doubts] == [True]
    assert -6 < sharp.margin < -3
    assert sharp.outcome is ComparisonOutcome.CONTRADICTED
    assert blurred.outcome is ComparisonOutcome.UNCLEAR


def test_on_a_degraded_capture_a_sure_different_character_still_contradicts() -> None:
    # 帆 read at 0.95, the form's 凡 at 0.009: log(0.009 / 0.95) ≈ −4.7 nats
    matrix = matrix_of(NAME, {5: {"帆": 0.95, "凡": 0.009}})
    blurred = judge_claim(NAME.replace("帆", "凡"), NAME, lines_of(matrix), degraded=True)
    assert blurred is not None and -6 < blurred.margin < -3
    assert blurred.outcome is ComparisonOutcome.CONTRADICTED


def test_a_character_added_where_nothing_was_read_on_an_unsure_line_is_no_clear_doubt() -> None:
    # the name's wrapped second line 合伙 read at ~0.65: the form's 云 absent there is no proof
    claim = NAME.replace("帆科", "帆云科")
    gap = {5: {"blank": 0.98, "云": 0.0005}}
    unsure = {at: {char: 0.65} for at, char in enumerate(NAME)}
    sure_line = judge_claim(claim, NAME, lines_of(matrix_of(NAME, after=gap)))
    unsure_line = judge_claim(claim, NAME, lines_of(matrix_of(NAME, unsure, after=gap)))
    assert sure_line is not None and unsure_line is not None
    assert [d.clear for d in sure_line.doubts] == [True]
    assert sure_line.outcome is ComparisonOutcome.CONTRADICTED
    assert [d.line_confidence for d in unsure_line.doubts] == [0.65]
    assert [d.clear for d in unsure_line.doubts] == [False]
    assert unsure_line.outcome is ComparisonOutcome.UNCLEAR
