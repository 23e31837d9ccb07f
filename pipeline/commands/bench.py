"""`filingcheck bench`: fresh synthetic packets, the real engine, accuracy and speed."""

import argparse
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.checks import claims
from pipeline.commands.figures import Tally, machine_description, seconds_line
from pipeline.commands.speed import (
    SkimOutcomes,
    SpeedComparison,
    StageProfile,
    format_comparison,
    format_profile,
    format_skim,
    stock_engine,
)
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.registry import create_engine
from pipeline.packet import CheckOutcome, check_packet
from pipeline.settings import Settings, get_settings
from pipeline.sources import FolderSource
from pipeline.stages import take_counts, take_stage_seconds
from samples.generator import generate_set
from samples.generator.identities import REFERENCE_DATE
from samples.generator.models import CaptureMode, ExpectedDocument, ExpectedPacket
from schemas import DocumentKind, DocumentResult, PacketReport

FIELD_GROUPS = {
    "numbers": ("number",),
    "names": ("name", "legal_representative"),
    "province": ("province",),
}


# Scenarios whose form carries a typing slip, and the captures a slip may hide in.
TYPO_SCENARIOS = {"name_typo", "principal_name_typo", "number_typo"}
DEGRADED_MODES = {CaptureMode.LOW_RES, CaptureMode.HARD, CaptureMode.BLURRY}


@dataclass
class BenchResult:
    """Everything the bench counts."""

    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_mode: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_group: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_group_legible: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    flag_recall: Tally = field(default_factory=Tally)
    verdicts: Tally = field(default_factory=Tally)
    false_flag_packets: list[str] = field(default_factory=list)
    false_errors_on_clean: list[str] = field(default_factory=list)
    clean_packets: int = 0
    typos_legible: Tally = field(default_factory=Tally)  # caught as an error
    typos_degraded: Tally = field(default_factory=Tally)  # caught as an error or a warning
    misses: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    seconds_three_documents: list[float] = field(default_factory=list)


@dataclass
class StockRun:
    """Stock PaddleOCR on the same packets: its engine, accuracy and the speed comparison."""

    engine: OcrEngine
    result: BenchResult = field(default_factory=BenchResult)
    speed: SpeedComparison = field(default_factory=SpeedComparison)
    profile: StageProfile = field(default_factory=StageProfile)


def run_bench_command(args: argparse.Namespace) -> int:
    """Generate args.n packets from args.seed, check them, print the figures."""
    settings = get_settings()
    loading = time.perf_counter()
    engine = create_engine(settings)
    load_seconds = time.perf_counter() - loading
    stock = StockRun(stock_engine(settings)) if args.compare_stock else None
    profile, skims = StageProfile(), SkimOutcomes()
    with tempfile.TemporaryDirectory(prefix="filingcheck-bench-") as scratch:
        root = args.keep or Path(scratch)
        expected = generate_set(root, args.n, args.seed)
        result = BenchResult()
        for truth in tqdm(expected, unit="packet", desc="bench", disable=None):
            source = FolderSource(root / truth.packet_id)
            outcome, counts = timed_check(source, engine, settings, profile)
            skims.add(str(truth.capture_mode or "mixed"), licenses(truth), counts)
            score_packet(truth, outcome.report, result)
            if stock is not None:
                compare_with_stock(truth, source, outcome, settings, stock)
            if args.keep:
                (root / truth.packet_id / "report.json").write_text(
                    outcome.report.model_dump_json(indent=2), encoding="utf-8"
                )
    print(format_result(result, args.n, args.seed, engine.info.model))
    print("\n" + format_skim(skims, "capture mode"))
    if args.profile:
        print("\n" + format_profile("checker, seconds per stage", profile))
    if stock is not None:
        print_stock(stock, args.profile)
    print(f"\nmachine: {machine_description()}; OCR threads {settings.cpu_threads}")
    print(f"engine load and warm-up (not in the packet times): {load_seconds:.2f} s")
    return 0


def licenses(truth: ExpectedPacket) -> int:
    """The packet's readable business licenses (the documents the skim applies to)."""
    return sum(
        1
        for document in truth.documents.values()
        if document.readable and document.kind is DocumentKind.BUSINESS_LICENSE
    )


def timed_check(
    source: FolderSource, engine: OcrEngine, settings: Settings, profile: StageProfile
) -> tuple[CheckOutcome, dict[str, int]]:
    """check_packet, its stage seconds and event counts added to the profile; the counts."""
    take_stage_seconds()
    take_counts()
    outcome = check_packet(source, engine, settings, today=REFERENCE_DATE)
    counts = take_counts()
    profile.add(take_stage_seconds(), outcome.report.seconds, counts)
    return outcome, counts


def compare_with_stock(
    truth: ExpectedPacket,
    source: FolderSource,
    ours: CheckOutcome,
    settings: Settings,
    stock: StockRun,
) -> None:
    """Check the packet again with stock PaddleOCR's whole-image reading; score and time it."""
    take_stage_seconds()
    take_counts()
    outcome = check_packet(source, stock.engine, settings, today=REFERENCE_DATE)
    stages = take_stage_seconds()
    stock.profile.add(stages, outcome.report.seconds, take_counts())
    score_packet(truth, outcome.report, stock.result)
    mode = str(truth.capture_mode or "mixed")
    stock.speed.add(mode, ours.report.seconds, stages, outcome.report.seconds)


def print_stock(stock: StockRun, profile: bool) -> None:
    """The comparison table, stock's accuracy by the same extraction, and its profile."""
    print("\n" + format_comparison(stock.speed))
    print("\nstock PaddleOCR's readings through the same field extraction and checks:")
    print(format_accuracy(stock.result))
    if profile:
        print("\n" + format_profile("stock PaddleOCR, seconds per stage", stock.profile))


def format_accuracy(result: BenchResult) -> str:
    """The accuracy figures alone (targets and capture modes)."""
    lines = [f"  {group:<22}{tally}" for group, tally in result.by_group.items()]
    lines += [f"  {'flag recall':<22}{result.flag_recall}", f"  {'verdict':<22}{result.verdicts}"]
    lines += [f"  {'mode ' + mode:<22}{tally}" for mode, tally in sorted(result.by_mode.items())]
    return "\n".join(lines)


def score_packet(truth: ExpectedPacket, report: PacketReport, result: BenchResult) -> None:
    """Add one packet's field, flag, verdict and time figures to the result."""
    documents = {document.file: document for document in report.documents}
    for file, expected in truth.documents.items():
        if expected.readable and expected.kind is not None:
            _score_fields(file, expected, documents.get(file), result)
    _score_flags(truth, report, result)
    result.verdicts.add(report.verdict in truth.acceptable_verdicts)
    if report.verdict not in truth.acceptable_verdicts:
        result.misses.append(f"{truth.packet_id}: verdict {report.verdict} ≠ {truth.verdict}")
    result.seconds.append(report.seconds)
    if len(truth.documents) == 3:
        result.seconds_three_documents.append(report.seconds)


def _score_fields(
    file: str, expected: ExpectedDocument, got: DocumentResult | None, result: BenchResult
) -> None:
    for name, value in expected.fields.model_dump().items():
        if value is None:
            continue
        reading = getattr(got.fields, name) if got else None
        ok = reading == value
        result.by_field[name].add(ok)
        result.by_mode[str(expected.capture_mode)].add(ok)
        for group, members in FIELD_GROUPS.items():
            if name in members:
                result.by_group[group].add(ok)
                if expected.capture_mode is not CaptureMode.BLURRY:
                    result.by_group_legible[group].add(ok)
        if not ok:
            mode = expected.capture_mode
            result.misses.append(f"{file} [{mode}] {name}: {reading!r} ≠ {value!r}")


def _score_flags(truth: ExpectedPacket, report: PacketReport, result: BenchResult) -> None:
    found = {(flag.code, flag.severity, flag.document) for flag in report.flags}
    for wanted in truth.flags:
        hit = any(
            code == wanted.code
            and severity == wanted.severity
            and (wanted.document is None or document == wanted.document)
            for code, severity, document in found
        )
        result.flag_recall.add(hit)
        if not hit:
            result.misses.append(f"{truth.packet_id}: missed {wanted.code} {wanted.document or ''}")
    allowed = {flag.code for flag in truth.flags} | set(truth.allowed_extra_flags)
    extra = [flag for flag in report.flags if flag.code not in allowed]
    if extra:
        result.false_flag_packets.append(
            f"{truth.packet_id} ({truth.scenario}): "
            + ", ".join(f"{flag.code}/{flag.severity} {flag.document or ''}" for flag in extra)
        )
    if not truth.flags:  # a clean packet: every scenario that requires no flag
        result.clean_packets += 1
        if any(f.severity == "error" for f in report.flags):
            result.false_errors_on_clean.append(f"{truth.packet_id} ({truth.scenario})")
    if truth.scenario in TYPO_SCENARIOS:
        _score_typo(truth, report, result)


def _score_typo(truth: ExpectedPacket, report: PacketReport, result: BenchResult) -> None:
    """A form typo must be an error on a legible capture; an error or a warning otherwise."""
    codes = {wanted.code for wanted in truth.flags}
    severities = {flag.severity for flag in report.flags if flag.code in codes}
    if truth.capture_mode in DEGRADED_MODES:
        result.typos_degraded.add(bool(severities))
    else:
        result.typos_legible.add("error" in severities)


def calibration_line() -> str:
    """The claim thresholds the comparisons used (docs/CLAIMS.md, "Outcomes")."""
    return (
        f"claims: supported at margin ≥ {claims.SUPPORTED_MARGIN:g} nats with no clear doubt, "
        f"contradicted below {claims.CONTRADICTED_MARGIN:g} "
        f"({claims.DEGRADED_CONTRADICTED_MARGIN:g} on a degraded capture if no read character "
        f"is in doubt) with one (clear: the "
        f"form's character < {claims.ABSENT_PROBABILITY:g} where the read one is ≥ "
        f"{claims.SURE_PROBABILITY:g}, or a left-out one read ≥ {claims.SURE_PROBABILITY:g}), "
        "else unclear"
    )


def format_result(result: BenchResult, n: int, seed: int, model: str) -> str:
    """The figures as a plain-text table."""
    lines = [f"filingcheck bench: {n} packets, seed {seed}, engine {model}", "", "field accuracy:"]
    lines += [f"  {name:<22}{tally}" for name, tally in sorted(result.by_field.items())]
    lines += ["", "by capture mode (all fields):"]
    lines += [f"  {mode:<22}{tally}" for mode, tally in sorted(result.by_mode.items())]
    lines += ["", "targets:"]
    lines += [f"  {group:<22}{tally}" for group, tally in result.by_group.items()]
    lines += [
        f"  {group + ', not blurry':<22}{tally}"
        for group, tally in result.by_group_legible.items()
        if tally.total < result.by_group[group].total
    ]
    lines += [
        f"  {'flag recall':<22}{result.flag_recall}",
        f"  {'verdict':<22}{result.verdicts}",
        f"  packets with false flags: {len(result.false_flag_packets)}",
        f"  clean packets with false error flags: {len(result.false_errors_on_clean)}"
        f" of {result.clean_packets}",
        f"  {'typos, legible (error)':<22}{result.typos_legible}",
        f"  {'typos, degraded (flag)':<22}{result.typos_degraded}",
        f"  {calibration_line()}",
        "",
        seconds_line("seconds per packet", result.seconds),
        seconds_line("seconds per 3-document packet", result.seconds_three_documents),
    ]
    if result.false_errors_on_clean:
        lines += ["", "false errors on clean packets:"]
        lines += [f"  {line}" for line in result.false_errors_on_clean]
    if result.false_flag_packets:
        lines += ["", "false flags:"] + [f"  {line}" for line in result.false_flag_packets]
    if result.misses:
        lines += ["", "misses:"] + [f"  {line}" for line in result.misses]
    return "\n".join(lines)
