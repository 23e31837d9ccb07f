"""The service commands of `filingcheck`: submit, worker, status, reprocess, open."""

import argparse
import os
import sys
from pathlib import Path
from typing import TypeAlias

from pipeline.errors import FilingCheckError

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
WORKER_MODULE = "workers.app"


def register(subparsers: SubParsers) -> None:
    """Add the service commands to the filingcheck parser."""
    submit = subparsers.add_parser("submit", help="upload packet folders and queue them")
    submit.add_argument("packet_dirs", metavar="PACKET_DIR", nargs="+", type=Path)
    submit.set_defaults(run=run_submit)

    worker = subparsers.add_parser("worker", help="run queue workers (the dramatiq command)")
    worker.add_argument("--processes", type=_positive, default=1, help="worker processes")
    worker.add_argument("--threads", type=_positive, default=1, help="threads per process")
    worker.set_defaults(run=run_worker)

    status = subparsers.add_parser("status", help="queue depth, dead letters, reports written")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(run=run_status)

    reprocess = subparsers.add_parser("reprocess", help="queue the packets in the bucket again")
    reprocess.add_argument("--prefix", default="", help="only packet ids starting with this")
    reprocess.add_argument(
        "--only-stale", action="store_true", help="skip reports made by this version and model"
    )
    reprocess.add_argument("--wait", action="store_true", help="follow the reports, then count")
    reprocess.add_argument("--timeout", type=float, default=3600.0, help="seconds --wait waits")
    reprocess.set_defaults(run=run_reprocess)

    open_page = subparsers.add_parser("open", help="print a temporary link to a reviewer page")
    open_page.add_argument("packet_id", metavar="PACKET_ID")
    open_page.add_argument("--expires", type=_positive, help="seconds the link is valid")
    open_page.set_defaults(run=run_open)


def run_submit(args: argparse.Namespace) -> int:
    """Upload each folder and enqueue it; go on after a failure; exit with the worst code."""
    from pipeline.settings import get_settings
    from workers.intake import submit_packet, upload_packet
    from workers.storage import open_storage

    settings = get_settings()
    storage = open_storage(settings)
    worst = 0
    for folder in args.packet_dirs:
        try:
            packet_id = upload_packet(folder, storage, settings)
            message_id = submit_packet(packet_id)
        except FilingCheckError as error:
            print(f"filingcheck: {folder}: {error.message}", file=sys.stderr)
            worst = max(worst, error.exit_code)
            continue
        print(f"{packet_id}\tqueued\t{message_id}")
    return worst


def run_worker(args: argparse.Namespace) -> int:
    """Become `dramatiq workers.app` (exec: signals and the exit code are dramatiq's own)."""
    dramatiq_command = Path(sys.executable).with_name("dramatiq")
    command = [
        str(dramatiq_command),
        WORKER_MODULE,
        "--processes",
        str(args.processes),
        "--threads",
        str(args.threads),
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(dramatiq_command, command)
    except OSError as error:
        raise FilingCheckError(f"cannot run {dramatiq_command}: {error.strerror}") from error
    return 0  # not reached: exec replaced this process


def run_status(args: argparse.Namespace) -> int:
    """Print the queue and bucket counts."""
    from pipeline.settings import get_settings
    from workers.status import format_status, service_status

    status = service_status(get_settings())
    print(status.model_dump_json(indent=2) if args.json else format_status(status))
    return 0


def run_reprocess(args: argparse.Namespace) -> int:
    """Enqueue the bucket's packets (or the stale ones); with --wait, tally the new reports."""
    from pipeline.settings import get_settings
    from workers.intake import submit_packet
    from workers.reports import write_index
    from workers.reprocess import (
        current_engine_info,
        enqueue_packets,
        format_tally,
        wait_for_reports,
    )
    from workers.storage import open_storage

    settings = get_settings()
    storage = open_storage(settings)
    engine = current_engine_info(settings) if args.only_stale else None
    run = enqueue_packets(storage, submit_packet, args.prefix, engine)
    print(
        f"{run.listed} packets listed, {len(run.enqueued)} enqueued, "
        f"{run.skipped_current} already current"
    )
    if args.wait and run.enqueued:
        tally = wait_for_reports(storage, run.enqueued, args.timeout)
        print(format_tally(tally))
        print(f"reviewer index: {write_index(storage, tally.reports)} in the bucket")
        return 1 if tally.missing else 0
    return 0


def run_open(args: argparse.Namespace) -> int:
    """Print a presigned URL of reports/<id>/report.html."""
    from pipeline.settings import get_settings
    from workers.layout import report_html_key
    from workers.storage import open_storage

    settings = get_settings()
    expires = args.expires or settings.presign_seconds
    print(open_storage(settings).presigned_url(report_html_key(args.packet_id), expires))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
