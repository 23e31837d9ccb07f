"""The bench's speed figures: the checker against stock PaddleOCR, and seconds per stage."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.document import READ_FAINT, READ_THE_REST, SKIMMED
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.paddle import RECOGNIZED_LINES
from pipeline.settings import Settings
from pipeline.stages import STAGES

ENGINE_STAGES = ("detection", "angle", "recognition")
ALL_MODES = "all"


@dataclass
class SpeedComparison:
    """Per capture mode: the checker's packet seconds, stock PaddleOCR's OCR seconds (its
    detection, angle classification and recognition only) and stock's whole packet seconds
    (the same decoding, field extraction and checks around stock's OCR)."""

    ours: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    stock_ocr: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    stock_packet: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, mode: str, ours: float, stock_stages: dict[str, float], stock: float) -> None:
        """One packet's times, counted under its mode and under ALL_MODES."""
        ocr = sum(stock_stages.get(name, 0.0) for name in ENGINE_STAGES)
        for key in (mode, ALL_MODES):
            self.ours[key].append(ours)
            self.stock_ocr[key].append(ocr)
            self.stock_packet[key].append(stock)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def speed_ratio(stock: list[float], ours: list[float]) -> float:
    """How many times faster the checker's median is than stock's (0 when not measured)."""
    ours_median = _median(ours)
    return _median(stock) / ours_median if ours_median > 0 else 0.0


def format_comparison(comparison: SpeedComparison) -> str:
    """Median seconds per packet by capture mode, and stock ÷ ours."""
    header = (
        f"  {'capture mode':<14}{'n':>4}{'checker':>9}{'stock OCR':>11}{'stock pkt':>11}"
        f"{'×(OCR)':>8}{'×(pkt)':>8}"
    )
    lines = [
        "speed against stock PaddleOCR (median seconds per packet, same packets, one process;",
        "  stock OCR = PaddleOCR.ocr(image, cls=True) on each page; stock pkt = the whole check",
        "  with stock's OCR; × = stock median ÷ checker median):",
        header,
    ]
    modes = [*sorted(mode for mode in comparison.ours if mode != ALL_MODES), ALL_MODES]
    for mode in modes:
        ours = comparison.ours[mode]
        lines.append(
            f"  {mode:<14}{len(ours):>4}{_median(ours):>9.2f}"
            f"{_median(comparison.stock_ocr[mode]):>11.2f}"
            f"{_median(comparison.stock_packet[mode]):>11.2f}"
            f"{speed_ratio(comparison.stock_ocr[mode], ours):>8.2f}"
            f"{speed_ratio(comparison.stock_packet[mode], ours):>8.2f}"
        )
    return "\n".join(lines)


@dataclass
class StageProfile:
    """Seconds per stage summed over packets, and the packets' total seconds."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    total: float = 0.0
    packets: int = 0
    lines: int = 0  # crops sent to the recognizer

    def add(self, stages: dict[str, float], total: float, counts: dict[str, int]) -> None:
        """One packet's (or image's) stage seconds, total wall time and event counts."""
        for name, spent in stages.items():
            self.seconds[name] += spent
        self.total += total
        self.packets += 1
        self.lines += counts.get(RECOGNIZED_LINES, 0)


def format_profile(title: str, profile: StageProfile) -> str:
    """Mean seconds per packet in each stage, its share of the total, and the rest."""
    if not profile.packets:
        return f"{title}: nothing measured"
    names = [name for name in STAGES if name in profile.seconds]
    names += sorted(set(profile.seconds) - set(STAGES))
    rest = profile.total - sum(profile.seconds.values())
    lines = [f"{title} (mean seconds per item over {profile.packets}, share of the total):"]
    for name, spent in [*((name, profile.seconds[name]) for name in names), ("other", rest)]:
        mean = spent / profile.packets
        share = 100 * spent / profile.total if profile.total else 0.0
        lines.append(f"  {name:<14}{mean:>7.3f} s {share:>5.1f} %")
    lines.append(f"  {'total':<14}{profile.total / profile.packets:>7.3f} s")
    lines.append(f"  lines recognized: {profile.lines / profile.packets:.1f} per item")
    return "\n".join(lines)


@dataclass
class SkimOutcomes:
    """Per group (capture mode, template family): documents that could be skimmed, those
    whose skim held (boxes left unread to the end) and those that fell back to reading all."""

    documents: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skimmed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fell_back: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    faint: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # faint lines read

    def add(self, group: str, documents: int, counts: dict[str, int]) -> None:
        """One packet's (or image's) skim event counts under its group and ALL_MODES."""
        for key in (group, ALL_MODES):
            self.documents[key] += documents
            self.skimmed[key] += counts.get(SKIMMED, 0)
            self.fell_back[key] += counts.get(READ_THE_REST, 0)
            self.faint[key] += counts.get(READ_FAINT, 0)


def format_skim(outcomes: SkimOutcomes, group_name: str) -> str:
    """The skim's outcome per group: held, fell back (the fallback rate), nothing skipped."""
    lines = [
        f"license skim by {group_name} (skim held / fell back to reading every box /"
        " nothing left unread; fallback rate = fell back ÷ skims tried; documents whose faint"
        " lines were read for a missing field):"
    ]
    groups = [*sorted(key for key in outcomes.documents if key != ALL_MODES), ALL_MODES]
    for key in groups:
        held, back = outcomes.skimmed[key], outcomes.fell_back[key]
        tried = held + back
        rate = f"{100 * back / tried:5.1f} %" if tried else "    -"
        none = outcomes.documents[key] - tried
        faint = outcomes.faint[key]
        lines.append(f"  {key:<24}{held:>5}{back:>5}{none:>5}   fallback {rate}   faint {faint}")
    return "\n".join(lines)


def stock_engine(settings: Settings) -> OcrEngine:
    """Stock PaddleOCR on the checker's models, threads and MKLDNN (imported when asked for)."""
    from pipeline.ocr.stock import StockPaddleEngine

    return StockPaddleEngine(settings)
