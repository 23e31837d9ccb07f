"""Finding a certificate number (18 characters; a legacy 注册号: 15 digits) and repairing it."""

import math
import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.fields.draft import Draft, Page
from pipeline.fields.lines import Line, evidence, lines_below, right_neighbours
from pipeline.fields.numbers import (
    NUMBER_LENGTH,
    REGISTRATION_LENGTH,
    NumberReading,
    clean_reading,
    repair_registration,
)
from pipeline.ocr.claims import score_claim
from pipeline.standards.divisions import is_division_code
from pipeline.standards.numbers import OLD_REGISTRATION_LENGTH
from pipeline.standards.text import normalize_text, strip_edge_noise

# A run of characters that may be a number as OCR read it (| and ! are read for 1).
_RUN = re.compile(r"[A-Za-z0-9|!]{15,22}")
# A 13-digit 注册号 opening the text after its label (a longer digit run is something else).
_OLD_REGISTRATION = re.compile(rf"\d{{{OLD_REGISTRATION_LENGTH}}}(?!\d)")
# A value chosen by the check character among confusable alternatives is a guess.
GUESSED_CONFIDENCE = 0.5
# Choosing among several valid repairs by the recognizer's output (docs/CLAIMS.md): the chosen
# one must be about as likely as the reading itself, and far likelier than every other.
SUPPORTED_MARGIN = -6.0  # nats below the greedy reading: a misread character or two, not more
CHOICE_GAP = 3.0  # nats above the runner-up

Repair = Callable[[str], NumberReading]


def _near_label(page: Page, variants: tuple[str, ...]) -> list[Line]:
    """The label lines, the lines right of them and the two lines below each."""
    near: list[Line] = []
    for hit in page.label(variants):
        line = hit.line
        below = lines_below(
            line, page.lines, line.left - line.height, line.right + 20 * line.height
        )
        near += [line, *right_neighbours(line, page.lines)[:2], *below[:2]]
    return near


def number_candidates(page: Page, variants: tuple[str, ...]) -> list[tuple[str, Line]]:
    """Every long letter/digit run, those next to the label first."""
    ordered = [*_near_label(page, variants), *page.lines]
    seen: set[str] = set()
    candidates = []
    for line in ordered:
        for run in _RUN.findall(line.text):
            if run not in seen:
                seen.add(run)
                candidates.append((run, line))
    return candidates


def supported_choice(reading: NumberReading, run: str, line: Line) -> NumberReading:
    """Among several valid repairs, the one the recognizer's own output supports clearly
    better than every other (CTC forward scores, pipeline/ocr/claims.py); else the doubt."""
    if not reading.candidates or line.ctc is None:
        return reading
    scored = sorted(
        ((_claim_margin(line, run, candidate), candidate) for candidate in reading.candidates),
        reverse=True,
    )
    (best, value), (second, _) = scored[0], scored[1]
    if best < SUPPORTED_MARGIN or best - second < CHOICE_GAP:
        return reading
    shown = "、".join(reading.candidates[:3])
    note = (
        f"{len(reading.candidates)} 种修正都能通过校验（{shown}），按识别器输出选定「{value}」"
        f"（对数概率差 {best:.1f}，次优 {second:.1f}）"
    )
    return replace(reading, value=value, valid=True, repaired=True, note=note, guessed=True)


def _claim_margin(line: Line, run: str, candidate: str) -> float:
    """log P(candidate) − log P(reading) under the line's CTC matrix (−inf if impossible)."""
    assert line.ctc is not None
    margin = score_claim(line.ctc, candidate, located=run).margin
    return margin if margin is not None else -math.inf


def _put_valid(draft: Draft, reading: NumberReading, line: Line) -> None:
    """Record a valid (possibly repaired) number with its evidence."""
    proof = evidence([line], reading.note)
    if reading.guessed:
        capped = min(proof.confidence, GUESSED_CONFIDENCE)
        note = f"{reading.note}；推测值，置信度上限 {GUESSED_CONFIDENCE}"
        proof = proof.model_copy(update={"confidence": capped, "note": note})
    draft.put("number", reading.value or "", proof)


def read_number(draft: Draft, page: Page, variants: tuple[str, ...], repair: Repair) -> None:
    """The first candidate that is (or repairs to) a valid number; else the best invalid one."""
    candidates = number_candidates(page, variants)
    failures: list[tuple[NumberReading, Line]] = []
    for run, line in candidates:
        reading = supported_choice(repair(run), run, line)
        if reading.valid and reading.value:
            _put_valid(draft, reading, line)
            return
        failures.append((reading, line))
    full_length = [
        (reading, line)
        for reading, line in failures
        if len(clean_reading(reading.reading)) == NUMBER_LENGTH
    ]
    if full_length:
        reading, line = full_length[0]
        value = clean_reading(reading.reading).upper()
        draft.put("number", value, evidence([line], reading.note))
        return
    if failures:
        reading, line = failures[0]
        draft.miss("number", reading.note or "号码无法识别", evidence([line], reading.note))
        return
    draft.miss("number", f"{variants[0]}附近未找到 {NUMBER_LENGTH} 位号码")


def read_registration_number(draft: Draft, page: Page, variants: tuple[str, ...]) -> bool:
    """A legacy license's 15-digit 注册号 (runs of exactly 15 characters, those near its label
    first, as read or repaired by the check digit); True when one was recorded."""
    for run, line in number_candidates(page, variants):
        if len(clean_reading(run)) != REGISTRATION_LENGTH:
            continue
        reading = repair_registration(run)
        if reading.valid and reading.value:
            _put_valid(draft, reading, line)
            return True
    return False


def read_old_registration_number(draft: Draft, page: Page, variants: tuple[str, ...]) -> bool:
    """A 13-digit 注册号 (before 2007: division code and serial, no check digit) standing right
    after its label, on the label's line or the next box of its row — nowhere else, since
    no check digit tells it from any other run of digits; its first six digits must be a
    GB/T 2260 code of some year. True when one was recorded."""
    for hit in page.label(variants):
        line_and_rest = [(hit.line, hit.rest)]
        line_and_rest += [(line, line.text) for line in right_neighbours(hit.line, page.lines)[:1]]
        for line, text in line_and_rest:
            found = _OLD_REGISTRATION.match(strip_edge_noise(normalize_text(text)))
            if found and is_division_code(found.group()[:6]):
                note = f"{OLD_REGISTRATION_LENGTH} 位注册号（2007 年前的格式）无校验位，按识别结果"
                draft.put("number", found.group(), evidence([line], note))
                return True
    return False
