"""The service commands of `filingcheck`: submit, worker, status, reprocess, index, open, serve."""

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from pipeline.errors import BadInputError, FilingCheckError

if TYPE_CHECKING:
    from schemas import EngineInfo
    from workers.counters import RunTracker
    from workers.reprocess import ReprocessRun
    from workers.review_index import IndexBuild
    from workers.settings import ServiceSettings
    from workers.storage import Storage

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
    status.add_argument(
        "--recount", action="store_true", help="list the bucket and reset the report counters"
    )
    status.set_defaults(run=run_status)

    reprocess = subparsers.add_parser("reprocess", help="queue the packets in the bucket again")
    reprocess.add_argument("--prefix", default="", help="only packet ids starting with this")
    reprocess.add_argument(
        "--only-stale", action="store_true", help="skip reports made by this version and model"
    )
    reprocess.add_argument(
        "--resume", action="store_true", help="go on from the checkpoint of an interrupted run"
    )
    reprocess.add_argument("--wait", action="store_true", help="follow the reports, then count")
    reprocess.add_argument("--timeout", type=float, default=3600.0, help="seconds --wait waits")
    reprocess.set_defaults(run=run_reprocess)

    open_page = subparsers.add_parser(
        "open", help="print a link to a reviewer page (FILINGCHECK_REVIEW_URL, else presigned)"
    )
    open_page.add_argument("packet_id", metavar="PACKET_ID")
    open_page.add_argument("--expires", type=_positive, help="seconds the link is valid")
    open_page.set_defaults(run=run_open)

    index = subparsers.add_parser(
        "index", help="rebuild the reviewer index pages (reports/index.html, newest first)"
    )
    index.add_argument("--page-size", type=_positive, default=None, help="packets a page (500)")
    index.set_defaults(run=run_index)

    serve = subparsers.add_parser("serve", help="serve reports/ read-only to reviewers' browsers")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8080, help="port to listen on")
    serve.set_defaults(run=run_serve)


def run_submit(args: argparse.Namespace) -> int:
    """Upload the folders concurrently, enqueue in batches; go on after a failure; worst code."""
    from pipeline.settings import Settings
    from workers.intake import submit_folders
    from workers.settings import load_service_settings
    from workers.storage import open_storage

    service = load_service_settings()
    storage = open_storage(service)
    worst = 0
    for item in submit_folders(args.packet_dirs, storage, Settings(), None, service.s3_connections):
        if item.error is not None:
            print(f"filingcheck: {item.folder}: {item.error}", file=sys.stderr)
            worst = max(worst, item.exit_code)
            continue
        print(f"{item.packet_id}\tqueued\t{item.message_id}")
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
    """Print the queue and bucket counts (the bucket is listed only with --recount)."""
    from workers.settings import load_service_settings
    from workers.status import format_status, service_status

    status = service_status(load_service_settings(), recount=args.recount)
    print(status.model_dump_json(indent=2) if args.json else format_status(status))
    return 0


def run_reprocess(args: argparse.Namespace) -> int:
    """Enqueue the bucket's packets (or the stale ones), streaming; with --wait, count them."""
    from pipeline.settings import Settings
    from workers.broker import broker_errors
    from workers.counters import RunTracker
    from workers.reprocess import checked_prefix, current_engine_info, format_run
    from workers.settings import load_service_settings
    from workers.storage import open_storage

    service = load_service_settings()
    prefix = checked_prefix(args.prefix)
    counters_url = service.counters_redis_url()
    if args.wait and counters_url is None:
        raise BadInputError("--wait follows the workers' counters in Redis: set"
                            " FILINGCHECK_COUNTERS_URL (the broker is not Redis)")  # fmt: skip
    storage = open_storage(service)
    run = _run_to_start(storage, prefix, args.only_stale, args.resume)
    engine = current_engine_info(Settings()) if args.only_stale else None
    with broker_errors(counters_url):
        tracker = RunTracker.from_url(counters_url, run.run_id) if counters_url else None
        run = _enqueue_run(storage, service, run, engine, tracker)
        print(format_run(run))
        if args.wait and tracker is not None and run.enqueued:
            return _wait_and_index(storage, service, tracker, run.enqueued, args.timeout)
    return 0


def _run_to_start(
    storage: "Storage", prefix: str, only_stale: bool, resume: bool
) -> "ReprocessRun":
    """The interrupted run to go on with (--resume), else a new one."""
    from workers.reprocess import ReprocessRun, load_checkpoint

    run = load_checkpoint(storage, prefix, only_stale) if resume else None
    if resume and run is None:
        print("no unfinished run to resume; starting from the beginning", file=sys.stderr)
    return run or ReprocessRun(prefix=prefix, only_stale=only_stale)


def _enqueue_run(
    storage: "Storage",
    service: "ServiceSettings",
    run: "ReprocessRun",
    engine: "EngineInfo | None",
    tracker: "RunTracker | None",
) -> "ReprocessRun":
    """List and enqueue with a progress bar (ETA from the counters when they know the size)."""
    from workers.intake import send_packets
    from workers.reprocess import format_run, reprocess_archive
    from workers.status import open_counters

    counters = open_counters(service)
    total = counters.read().reports if counters is not None and not run.prefix else None
    run_id = run.run_id if tracker is not None else None
    try:
        return reprocess_archive(
            storage, lambda ids: send_packets(ids, run_id=run_id), run, engine, tracker,
            total=total or None,
        )  # fmt: skip
    except KeyboardInterrupt:
        print(f"interrupted after {format_run(run)}; go on with --resume", file=sys.stderr)
        raise


def _wait_and_index(
    storage: "Storage",
    service: "ServiceSettings",
    tracker: "RunTracker",
    expected: int,
    timeout: float,
) -> int:
    """Follow the run's counts, print them, rebuild the reviewer index."""
    from workers.reprocess import format_tally, wait_for_run

    counts = wait_for_run(tracker, expected, timeout)
    print(format_tally(counts, tracker.pending_sample(10) if counts.pending else []))
    print(_rebuild_index(storage, service).describe())
    return 1 if counts.pending else 0


def run_index(args: argparse.Namespace) -> int:
    """Rebuild the reviewer index pages from the workers' records."""
    from workers.settings import load_service_settings
    from workers.storage import open_storage

    service = load_service_settings()
    print(_rebuild_index(open_storage(service), service, args.page_size).describe())
    return 0


def _rebuild_index(
    storage: "Storage", service: "ServiceSettings", page_size: int | None = None
) -> "IndexBuild":
    """All index pages, newest first, from the records in Redis (BadInputError: no Redis)."""
    from workers.broker import broker_errors
    from workers.index_records import RedisIndexRecords
    from workers.review_index import PAGE_SIZE, build_review_index
    from workers.status import open_counters

    url = service.counters_redis_url()
    if url is None:
        raise BadInputError("the reviewer index is built from the workers' records in Redis:"
                            " set FILINGCHECK_COUNTERS_URL (the broker is not Redis)")  # fmt: skip
    with broker_errors(url):
        counters = open_counters(service)
        verdicts = counters.read().verdicts if counters is not None else None
        records = RedisIndexRecords.from_url(url, service.bucket)
        return build_review_index(storage, records, verdicts, page_size or PAGE_SIZE)


def run_open(args: argparse.Namespace) -> int:
    """Print the review server's URL of the page, else a presigned self-contained copy's."""
    from workers.review_links import open_link
    from workers.settings import load_service_settings
    from workers.storage import open_storage

    service = load_service_settings()
    expires = args.expires or service.presign_seconds
    storage = open_storage(service)
    print(open_link(storage, args.packet_id, expires, service.review_url))
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Serve the bucket's reports/ until interrupted."""
    import logging

    from workers.review_server import ReviewServer
    from workers.settings import load_service_settings
    from workers.storage import open_storage

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    storage = open_storage(load_service_settings())
    try:
        server = ReviewServer((args.host, args.port), storage)
    except OSError as error:
        raise BadInputError(
            f"cannot listen on {args.host}:{args.port}: {error.strerror}"
        ) from error
    print(f"serving {storage.describe()} reports/ at {server.url}/reports/index.html", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be 0–65535")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
