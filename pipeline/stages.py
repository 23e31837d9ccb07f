"""Wall time per pipeline stage, summed per thread, and counted events, for the bench.

Each stage adds its own seconds to the thread's totals; stages do not nest (the engine's
detection inside normalization is counted as detection, the rest as normalization)."""

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("decode", "normalize", "detection", "angle", "recognition", "fields", "seal", "checks")

_local = threading.local()


def _totals() -> dict[str, float]:
    totals: dict[str, float] | None = getattr(_local, "totals", None)
    if totals is None:
        totals = _local.totals = defaultdict(float)
    return totals


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the wall time of the block as `name` (minus any stage timed inside it)."""
    started = time.perf_counter()
    inner_before = getattr(_local, "inner", 0.0)
    _local.inner = 0.0
    try:
        yield
    finally:
        spent = time.perf_counter() - started
        own = spent - _local.inner
        _totals()[name] += own
        _local.inner = inner_before + spent


def take_stage_seconds() -> dict[str, float]:
    """This thread's seconds per stage since the last call, then start again from zero."""
    totals = dict(_totals())
    _local.totals = defaultdict(float)
    return totals


def count(event: str, times: int = 1) -> None:
    """Count an event (how a license's skim ended, lines recognized) for the bench."""
    counts: dict[str, int] | None = getattr(_local, "counts", None)
    if counts is None:
        counts = _local.counts = defaultdict(int)
    counts[event] += times


def take_counts() -> dict[str, int]:
    """This thread's event counts since the last call, then start again from zero."""
    counts = dict(getattr(_local, "counts", {}))
    _local.counts = defaultdict(int)
    return counts
