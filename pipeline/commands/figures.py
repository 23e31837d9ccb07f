"""What both benches print: tallies, time percentiles and the machine they ran on."""

import os
import platform
import statistics
from dataclasses import dataclass


@dataclass
class Tally:
    """Correct readings out of all readings."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        """Count one reading, correct or not."""
        self.correct += ok
        self.total += 1

    @property
    def share(self) -> float:
        """Percent correct (0 when nothing was counted)."""
        return 100 * self.correct / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.share:6.2f} % ({self.correct}/{self.total})"


def machine_description() -> str:
    """The CPU model and core count: speed figures mean little without them."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            names = [line.split(":", 1)[1] for line in cpuinfo if line.startswith("model name")]
        model = names[0].strip() if names else model
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical CPUs"


def p90(seconds: list[float]) -> float:
    """The 90th percentile (the one value when there is only one)."""
    if len(seconds) < 2:
        return seconds[0]
    return statistics.quantiles(seconds, n=10, method="inclusive")[-1]


def seconds_line(label: str, seconds: list[float]) -> str:
    """`label: median, p90, mean, max (n)` of a list of durations."""
    if not seconds:
        return f"  {label}: none"
    return (
        f"  {label}: median {statistics.median(seconds):.2f}, p90 {p90(seconds):.2f},"
        f" mean {statistics.mean(seconds):.2f}, max {max(seconds):.2f} (n={len(seconds)})"
    )
