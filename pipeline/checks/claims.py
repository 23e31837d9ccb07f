"""Whether a document's pixels support what the form claims: the claim scored against the
recognizer's CTC output of the field's lines, judged supported, contradicted or unclear.

The thresholds and how they were fitted are in docs/CLAIMS.md ("Outcomes").
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.field_lines import FieldLines
from pipeline.ocr.claims import ClaimScore, Doubt, score_over_lines, span_box
from pipeline.ocr.ctc import reading_confidence
from schemas import CharacterDoubt, ComparisonOutcome

# A claim this close to the best reading (nats) is supported when no doubt is clear.
SUPPORTED_MARGIN = -1.0
# A claim at least this far below the best reading, with a clear doubt, is contradicted…
CONTRADICTED_MARGIN = -3.0
# …on a capture with a quality issue (blur, low resolution…), this far when the only clear
# doubts are characters the form adds where nothing was read.
DEGRADED_CONTRADICTED_MARGIN = -6.0
# A doubt is clear when the claimed character peaks below this where it should stand (and
# the character read there, if any, is sure)…
ABSENT_PROBABILITY = 0.01
# …or the claim leaves out a character the recognizer read at least this sure.
SURE_PROBABILITY = 0.9


@dataclass(frozen=True)
class ClaimJudgement:
    """The outcome of one claim and the evidence behind it."""

    outcome: ComparisonOutcome
    margin: float  # log P(claim) − log P(best reading), nats
    doubts: tuple[CharacterDoubt, ...]
    reading: str  # the greedy reading of the scored lines


def judge_claim(
    claimed: str, located: str, lines: FieldLines, degraded: bool = False
) -> ClaimJudgement | None:
    """The claim scored against the lines with `located` (the document's value as extracted)
    standing for the field (`degraded`: the capture has a quality issue); None when it
    cannot be scored (a character the recognizer cannot output)."""
    score = score_over_lines(list(lines.matrices), claimed, located)
    if score.margin is None:
        return None
    confidences = {
        doubt.line: reading_confidence(lines.matrices[doubt.line]) for doubt in score.doubts
    }
    doubts = tuple(
        _character_doubt(doubt, lines, confidences[doubt.line]) for doubt in score.doubts
    )
    outcome = _outcome(score, doubts, degraded)
    return ClaimJudgement(outcome, round(score.margin, 3), doubts, score.reading)


def _outcome(
    score: ClaimScore, doubts: tuple[CharacterDoubt, ...], degraded: bool
) -> ComparisonOutcome:
    """The outcome of a scored claim (see decide)."""
    margin = score.margin if score.margin is not None else float("-inf")
    return decide(margin, [doubt.document_char for doubt in doubts if doubt.clear], degraded)


def decide(
    margin: float,
    clear_reads: Sequence[str],
    degraded: bool,
    supported: float = SUPPORTED_MARGIN,
    contradicted: float = CONTRADICTED_MARGIN,
) -> ComparisonOutcome:
    """supported / contradicted / unclear from the margin and the clear doubts, given as the
    character read at each ("" where the form adds one and nothing was read). On a degraded
    capture such an added character is weaker evidence (a blurred character the recognizer
    merged away looks the same): alone, it needs a wider margin."""
    if margin >= supported and not clear_reads:
        return ComparisonOutcome.SUPPORTED
    weak = degraded and not any(clear_reads)
    limit = min(contradicted, DEGRADED_CONTRADICTED_MARGIN) if weak else contradicted
    if clear_reads and margin < limit:
        return ComparisonOutcome.CONTRADICTED
    return ComparisonOutcome.UNCLEAR


def is_clear(
    claimed: str,
    claimed_prob: float | None,
    read: str,
    read_prob: float | None,
    line_confidence: float | None = None,
) -> bool:
    """A difference the recognizer was sure of: the claimed character all but absent where
    it should stand, and what it read there read with near certainty — or, where it read
    nothing, the line itself read with near certainty (on a line it was unsure of, a missing
    character may just be one it did not see: a wrapped name's second line read at 0.65) —;
    or a character the claim leaves out read with near certainty."""
    read_sure = read_prob is not None and read_prob >= SURE_PROBABILITY
    if not claimed:
        return read_sure
    absent = claimed_prob is not None and claimed_prob < ABSENT_PROBABILITY
    line_sure = line_confidence is None or line_confidence >= SURE_PROBABILITY
    return absent and (read_sure if read else line_sure)


def _character_doubt(doubt: Doubt, lines: FieldLines, confidence: float) -> CharacterDoubt:
    """A doubt as the report shows it: both characters, how sure, and where on the page
    (`confidence`: how sure the recognizer was of the doubt's line)."""
    line_confidence = _rounded(confidence)
    clear = is_clear(
        doubt.claimed, doubt.claimed_prob, doubt.read, doubt.read_prob, line_confidence
    )
    return CharacterDoubt(
        form_char=doubt.claimed,
        document_char=doubt.read,
        form_char_probability=_rounded(doubt.claimed_prob),
        document_char_probability=_rounded(doubt.read_prob),
        line_confidence=line_confidence,
        clear=clear,
        page=lines.page,
        box=span_box(lines.boxes[doubt.line], doubt.span),
    )


def _rounded(probability: float | None) -> float | None:
    return None if probability is None else round(min(max(probability, 0.0), 1.0), 4)
