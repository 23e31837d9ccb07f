"""The verdict that a set of flags leads to, as docs/RULES.md defines it."""

from collections.abc import Iterable

from pipeline.checks.verdict import decide
from samples.generator.models import ExpectedFlag
from schemas import FlagCode, Verdict


def verdict_for(flags: Iterable[ExpectedFlag]) -> Verdict:
    """The verdict the rules give these flags (pipeline.checks.verdict.decide)."""
    return decide(flags)


def acceptable_verdicts(flags: list[ExpectedFlag], extra: list[FlagCode]) -> list[Verdict]:
    """The verdict of the required flags, plus 'review' when allowed warnings may be added."""
    required = verdict_for(flags)
    verdicts = [required]
    if extra and required == Verdict.PASS:
        verdicts.append(Verdict.REVIEW)
    return verdicts
