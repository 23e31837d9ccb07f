"""`filingcheck bench --real DIR`: real license images read with one engine, scored and timed."""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from pipeline.commands.figures import Tally, machine_description, p90, seconds_line
from pipeline.commands.files import document_files, read_file
from pipeline.commands.real_scoring import GroupFigures, ImageScore, RealResult, score_image
from pipeline.commands.real_truth import SCORED_FIELDS, Truth, load_truth
from pipeline.commands.speed import (
    SkimOutcomes,
    SpeedComparison,
    StageProfile,
    format_comparison,
    format_profile,
    format_skim,
    stock_engine,
)
from pipeline.errors import BadInputError
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.registry import create_engine
from pipeline.settings import Settings, get_settings
from pipeline.stages import take_counts, take_stage_seconds
from schemas import DocumentKind

GROUP_WIDTH = 32


def run_real_bench(args: argparse.Namespace) -> int:
    """Read the folder's images (those of the truth file, when given), print the figures."""
    truth = load_truth(args.truth) if args.truth else None
    files = select_files(document_files(args.real), truth, args.all_images, args.limit)
    out = open_out(args.out) if args.out else None
    settings = get_settings()
    loading = time.perf_counter()
    engine = create_engine(settings)
    load_seconds = time.perf_counter() - loading
    result, profile, skims = RealResult(), StageProfile(), SkimOutcomes()
    stock = RealStock(stock_engine(settings)) if args.compare_stock else None
    try:
        for path in tqdm(files, unit="image", desc="bench --real", disable=None):
            take_stage_seconds()
            take_counts()
            score = bench_one(path, truth, engine, settings, result, out)
            counts = take_counts()
            profile.add(take_stage_seconds(), score.seconds, counts)
            skims.add(family(score), 1, counts)
            if stock is not None:
                stock.compare(path, truth, settings, score)
    finally:
        if out:
            out.close()
    print(format_real(result, args.real, truth, engine.info.model))
    print("\n" + format_skim(skims, "template family"))
    if args.profile:
        print("\n" + format_profile("checker, seconds per stage", profile))
    if stock is not None:
        print("\n" + format_comparison(stock.speed).replace("per packet", "per image"))
        print("\nstock PaddleOCR's readings through the same field extraction:")
        print(format_real(stock.result, args.real, truth, stock.engine.info.model))
        if args.profile:
            print("\n" + format_profile("stock PaddleOCR, seconds per stage", stock.profile))
    print(f"\nmachine: {machine_description()}; OCR threads {settings.cpu_threads}")
    print(f"engine load and warm-up (not in the document times): {load_seconds:.2f} s")
    return 0


def family(score: ImageScore) -> str:
    """The image's template family as the truth names it."""
    return score.template or "unknown template"


class RealStock:
    """Stock PaddleOCR reading the same images: its scores, times and profile."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.result = RealResult()
        self.speed = SpeedComparison()
        self.profile = StageProfile()

    def compare(
        self, path: Path, truth: Truth | None, settings: Settings, ours: ImageScore
    ) -> None:
        """Read the image with stock PaddleOCR; score, time and profile it."""
        take_stage_seconds()
        take_counts()
        score = bench_one(path, truth, self.engine, settings, self.result, None)
        stages = take_stage_seconds()
        self.profile.add(stages, score.seconds, take_counts())
        self.speed.add(family(ours), ours.seconds, stages, score.seconds)


def open_out(path: Path) -> TextIO:
    """The --out file, written line by line (a stopped run leaves its lines); BadInputError."""
    try:
        return path.open("w", encoding="utf-8", buffering=1)
    except OSError as error:
        raise BadInputError(f"{path} cannot be written ({error.strerror or error})") from error


def select_files(
    files: list[Path], truth: Truth | None, all_images: bool, limit: int | None
) -> list[Path]:
    """The images to read: with a truth, only its rows' images unless all_images."""
    if truth is not None and not all_images:
        missing = sorted(set(truth.rows) - {path.name for path in files})
        if missing:
            print(
                f"filingcheck: {len(missing)} truth rows have no image: {missing[:5]}",
                file=sys.stderr,
            )
        files = [path for path in files if path.name in truth.rows]
    if not files:
        raise BadInputError("no image to read (JPEG, PNG, BMP, TIFF, WebP, GIF or PDF)")
    return files[:limit]


def bench_one(
    path: Path,
    truth: Truth | None,
    engine: OcrEngine,
    settings: Settings,
    result: RealResult,
    out: TextIO | None,
) -> ImageScore:
    """Read one image as a declared license, score it, add it and write its JSON line."""
    started = time.perf_counter()
    reading = read_file(path, DocumentKind.BUSINESS_LICENSE, engine, settings)
    seconds = time.perf_counter() - started
    score = score_image(reading, truth.rows.get(path.name) if truth else None, seconds)
    result.add(score)
    if out:
        out.write(json.dumps(score.to_json(), ensure_ascii=False) + "\n")
    return score


def format_real(result: RealResult, folder: Path, truth: Truth | None, model: str) -> str:
    """The figures as two plain-text tables (exact fields only with a truth)."""
    source = f", truth {truth.path} ({len(truth.rows)} rows)" if truth else ", no truth"
    lines = [
        f"filingcheck bench --real {folder}: {len(result.images)} images{source}, engine {model}"
    ]
    if truth is not None:
        lines += ["", "exact fields, correct/legible (NFKC, white space removed):"]
        lines += [_row("", "docs", *SCORED_FIELDS)]
        lines += [
            _row(name, figures.documents, *map(_count, figures.exact.values()))
            for name, figures in ordered_groups(result)
        ]
    lines += ["", "rates without truth (share of documents), seconds per document:"]
    lines += [
        _row("", "docs", "number valid", "name plausible", "province found", "s median", "s p90")
    ]
    lines += [_rates_row(name, figures) for name, figures in ordered_groups(result)]
    lines += ["", seconds_line("seconds per document", [image.seconds for image in result.images])]
    failed = [image for image in result.images if image.error]
    lines += [f"  unreadable: {image.file}: {image.error}" for image in failed]
    return "\n".join(lines)


def ordered_groups(result: RealResult) -> list[tuple[str, GroupFigures]]:
    """All first, then the template families, then the capture tags, each largest first."""

    def rank(item: tuple[str, GroupFigures]) -> tuple[int, int, str]:
        name, figures = item
        kind = ("all", "template", "capture").index(name.split(" ", 1)[0])
        return (kind, -figures.documents, name)

    return sorted(result.groups.items(), key=rank)


def _count(tally: Tally) -> str:
    return f"{tally.correct}/{tally.total} {tally.share:3.0f}%" if tally.total else "-"


def _rates_row(name: str, figures: GroupFigures) -> str:
    rates = (figures.number_valid, figures.name_plausible, figures.province_found)
    seconds = figures.seconds
    return _row(
        name,
        figures.documents,
        *(f"{tally.share:5.1f} %" for tally in rates),
        f"{statistics.median(seconds):.2f}",
        f"{p90(seconds):.2f}",
    )


def _row(name: str, documents: int | str, *cells: str) -> str:
    return f"  {name:<{GROUP_WIDTH}}{documents:>5}" + "".join(f"{cell:>16}" for cell in cells)
