"""Shared pieces of the hostile-input suite: settings, the budget check, a measurements log."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest

from pipeline.settings import Settings
from tests.hostile.measure import CASE_GROWTH_MB, CASE_SECONDS, Measured


@dataclass(frozen=True)
class CaseFigure:
    """One case's measured wall time and peak memory growth."""

    case: str
    seconds: float
    growth_mb: float
    finished: bool


class BudgetCheck(Protocol):
    """Records a measured case and asserts it stayed inside the time and memory budgets."""

    def __call__(self, measured: Measured[Any], seconds: float = CASE_SECONDS) -> None: ...


_FIGURES: list[CaseFigure] = []


def hostile_settings(**changes: object) -> Settings:
    """The default limits with the scripted engine (overrides for one case)."""
    return Settings(engine="fake", **changes)  # type: ignore[arg-type]


@pytest.fixture
def settings() -> Settings:
    """Default limits, fake engine."""
    return hostile_settings()


@pytest.fixture
def within_budget(request: pytest.FixtureRequest) -> Iterator[BudgetCheck]:
    """A checker that records a case's figures and asserts it stayed inside the budgets."""

    def check(measured: Measured[Any], seconds: float = CASE_SECONDS) -> None:
        finished = not measured.timed_out and measured.signal is None
        _FIGURES.append(
            CaseFigure(request.node.nodeid, measured.seconds, measured.peak_growth_mb, finished)
        )
        assert not measured.timed_out, f"still running after the hard time-out: {measured}"
        assert measured.signal is None, f"the case died with signal {measured.signal}"
        assert measured.seconds <= seconds, f"took {measured.seconds:.2f} s > {seconds} s"
        assert measured.peak_growth_mb <= CASE_GROWTH_MB, (
            f"peak memory grew {measured.peak_growth_mb:.0f} MB > {CASE_GROWTH_MB:.0f} MB"
        )

    yield check


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many cases were measured, the slowest and the largest peak growth."""
    finished = [figure for figure in _FIGURES if figure.finished]
    if not finished:
        return
    slowest = max(finished, key=lambda figure: figure.seconds)
    largest = max(finished, key=lambda figure: figure.growth_mb)
    killed = len(_FIGURES) - len(finished)
    terminalreporter.write_sep("-", "hostile corpus measurements")
    terminalreporter.write_line(f"{len(_FIGURES)} measured cases, {killed} killed at the time-out")
    terminalreporter.write_line(f"slowest: {slowest.seconds:.2f} s  {slowest.case}")
    terminalreporter.write_line(f"largest peak growth: {largest.growth_mb:.1f} MB  {largest.case}")
