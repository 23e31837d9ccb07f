"""Check every packet under a folder; one engine per process, reports and a summary out."""

import csv
import io
import logging
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from pipeline.errors import FilingCheckError
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.registry import create_engine
from pipeline.packet import check_packet
from pipeline.report.formats import report_html, report_json, write_text
from pipeline.settings import Settings
from pipeline.sources import FORM_NAME, FolderSource
from schemas import PacketReport

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ["folder", "packet_id", "verdict", "errors", "warnings", "flag_codes", "seconds",
                   "problem"]


@dataclass
class PacketRun:
    """One packet's outcome in a batch: a report, or why none could be made."""

    folder: str
    report: PacketReport | None = None
    html: str | None = None
    problem: str | None = None


def find_packets(root: Path) -> list[Path]:
    """Every folder under root that holds a form.json, links not followed, sorted."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        if FORM_NAME in files:
            found.append(Path(folder))
    return sorted(found)


def run_batch(
    root: Path, out_dir: Path, settings: Settings, jobs: int, html: bool
) -> list[PacketRun]:
    """Check every packet, writing <packet_id>.json (and .html), summary.csv and index.html."""
    folders = find_packets(root)
    runs = []
    seen: set[str] = set()
    progress = tqdm(total=len(folders), unit="packet", disable=None, desc="checking")
    for run in _run_all(folders, settings, jobs, html):
        _write_run(run, out_dir, seen)
        runs.append(run)
        progress.update()
    progress.close()
    write_text(out_dir / "summary.csv", summary_csv(runs))
    if html:
        write_text(out_dir / "index.html", _index_html(runs))
    return runs


def summary_csv(runs: list[PacketRun]) -> str:
    """One row per packet folder, including those that produced no report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SUMMARY_COLUMNS)
    for run in runs:
        report = run.report
        flags = report.flags if report else []
        writer.writerow([
            run.folder,
            report.packet_id if report else "",
            report.verdict.value if report else "",
            sum(flag.severity.value == "error" for flag in flags),
            sum(flag.severity.value == "warning" for flag in flags),
            " ".join(sorted({flag.code.value for flag in flags})),
            f"{report.seconds:.2f}" if report else "",
            run.problem or "",
        ])
    return buffer.getvalue()


def _run_all(folders: list[Path], settings: Settings, jobs: int, html: bool) -> Iterator[PacketRun]:
    if jobs <= 1 or len(folders) <= 1:
        engine = create_engine(settings)
        yield from (_check_folder(folder, engine, settings, html) for folder in folders)
        return
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_process, initargs=(settings,)
    ) as pool:
        yield from pool.map(_check_in_process, folders, [html] * len(folders))


_process_engine: OcrEngine | None = None
_process_settings: Settings | None = None


def _init_process(settings: Settings) -> None:
    global _process_engine, _process_settings
    _process_settings = settings
    _process_engine = create_engine(settings)


def _check_in_process(folder: Path, html: bool) -> PacketRun:
    assert _process_engine is not None and _process_settings is not None
    return _check_folder(folder, _process_engine, _process_settings, html)


def _check_folder(folder: Path, engine: OcrEngine, settings: Settings, html: bool) -> PacketRun:
    try:
        outcome = check_packet(FolderSource(folder), engine, settings, packet_id_hint=None)
    except FilingCheckError as error:
        return PacketRun(folder=str(folder), problem=error.message)
    except Exception as error:  # one packet's bug must not stop the batch or lose the summary
        logger.exception("unexpected failure checking %s", folder)
        return PacketRun(folder=str(folder), problem=f"internal error: {type(error).__name__}")
    page = report_html(outcome.report, outcome.previews) if html else None
    return PacketRun(folder=str(folder), report=outcome.report, html=page)


def _write_run(run: PacketRun, out_dir: Path, seen: set[str]) -> None:
    report = run.report
    if report is None:
        return
    if report.packet_id in seen:
        run.problem = f"packet id {report.packet_id} already used by another folder; not written"
        return
    seen.add(report.packet_id)
    write_text(out_dir / f"{report.packet_id}.json", report_json(report))
    if run.html:
        write_text(out_dir / f"{report.packet_id}.html", run.html)


def _index_html(runs: list[PacketRun]) -> str:
    from pipeline.report.html import IndexEntry, render_index_page

    entries = [
        IndexEntry.from_report(run.report, f"{run.report.packet_id}.html")
        for run in runs
        if run.report is not None and run.problem is None
    ]
    return render_index_page(entries)
