"""The local commands: check one packet, extract documents, batch a folder."""

import argparse
import sys
from pathlib import Path

from pipeline.commands.batch import run_batch
from pipeline.commands.files import read_file
from pipeline.errors import BadInputError
from pipeline.ocr.registry import create_engine
from pipeline.packet import check_packet
from pipeline.report.formats import report_html, report_json, report_text, write_text
from pipeline.settings import get_settings
from pipeline.sources import FolderSource
from schemas import DocumentKind, DocumentStatus


def run_check(args: argparse.Namespace) -> int:
    """filingcheck check: exit 0 when a report was made, 2 when the packet cannot be read."""
    folder: Path = args.packet_dir
    if not folder.is_dir():
        raise BadInputError(f"{folder} is not a folder")
    settings = get_settings()
    outcome = check_packet(FolderSource(folder), create_engine(settings), settings)
    report = outcome.report
    if args.format == "html":
        text = report_html(report, outcome.previews)
    elif args.format == "text":
        text = report_text(report)
    else:
        text = report_json(report)
    _emit(text, args.out)
    if report.form is None:
        print(f"filingcheck: {folder}: {report.flags[0].message}", file=sys.stderr)
        return 2
    return 0


def run_extract(args: argparse.Namespace) -> int:
    """filingcheck extract: one JSON line per file, one engine; exit 2 if any was unreadable."""
    settings = get_settings()
    declared = None if args.kind == "auto" else DocumentKind(args.kind)
    engine = create_engine(settings)
    failed = 0
    for path in args.files:
        result = read_file(path, declared, engine, settings)
        result.file = str(path)
        print(result.model_dump_json(), flush=True)
        if result.status is DocumentStatus.UNREADABLE:
            print(f"filingcheck: {path}: {result.error}", file=sys.stderr)
            failed += 1
    return 2 if failed else 0


def run_batch_command(args: argparse.Namespace) -> int:
    """filingcheck batch: every packet under INPUT_DIR; exit 2 if any produced no report."""
    if not args.input_dir.is_dir():
        raise BadInputError(f"{args.input_dir} is not a folder")
    runs = run_batch(args.input_dir, args.out, get_settings(), args.jobs, html=not args.no_html)
    if not runs:
        raise BadInputError(f"no packet (a folder with form.json) under {args.input_dir}")
    failed = [run for run in runs if run.problem]
    for run in failed:
        print(f"filingcheck: {run.folder}: {run.problem}", file=sys.stderr)
    verdicts: dict[str, int] = {}
    for run in runs:
        if run.report and not run.problem:
            verdicts[run.report.verdict.value] = verdicts.get(run.report.verdict.value, 0) + 1
    counts = ", ".join(f"{name} {count}" for name, count in sorted(verdicts.items()))
    print(f"{len(runs) - len(failed)} reports in {args.out} ({counts}); {len(failed)} failed")
    return 2 if failed else 0


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text)
