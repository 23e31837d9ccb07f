"""Check an archive again, streaming: list packets a page at a time, enqueue the ones to check.

Packets are listed by folder (`packets/<id>/`, a delimiter listing: one entry per packet), a
page at a time; a bounded pool HEADs each page's reports (and forms); the page's packets are
enqueued in one batch; then a checkpoint naming the last folder listed is put in the bucket
(`reprocess/checkpoint-….json`), so `--resume` goes on from there after an interruption.
Memory stays the same whatever the size of the archive.
"""

import json
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from enum import StrEnum
from itertools import islice

from pydantic import BaseModel, Field, ValidationError
from tqdm import tqdm

from pipeline import __version__
from pipeline.errors import BadInputError, NotFoundError
from pipeline.settings import Settings
from schemas import EngineInfo
from workers.counters import RunCounts, RunTracker
from workers.layout import PACKETS_PREFIX, form_key, report_key
from workers.reports import JSON_TYPE, made_by
from workers.storage import Storage

SendBatch = Callable[[list[str]], object]
CHECKPOINT_PREFIX = "reprocess/"
PAGE_SIZE = 500
HEAD_CONNECTIONS = 16
PREFIX_PATTERN = r"[A-Za-z0-9._-]{0,64}"
MAX_CHECKPOINT_BYTES = 64 * 1024


class Decision(StrEnum):
    """What reprocessing does with one listed packet."""

    ENQUEUE = "enqueue"
    CURRENT = "current"  # its report was made by this version, engine and model
    NO_FORM = "no_form"  # a folder without form.json: an upload in progress or abandoned


class ReprocessRun(BaseModel):
    """One run's progress; stored as its checkpoint after every page."""

    run_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    prefix: str = ""
    only_stale: bool = False
    last_folder: str = Field(default="", description="the last packets/<id>/ listed and handled")
    listed: int = Field(default=0, ge=0)
    enqueued: int = Field(default=0, ge=0)
    skipped_current: int = Field(default=0, ge=0, description="report already up to date")
    no_form: int = Field(default=0, ge=0, description="folders without form.json")
    finished: bool = False
    updated_at: str = ""


def current_engine_info(settings: Settings) -> EngineInfo:
    """The engine and model the workers use now, without loading PaddleOCR's models."""
    if settings.engine == "paddleocr":
        from pipeline.ocr.paddle import engine_info

        return engine_info()
    if settings.engine == "openvino":
        from pipeline.ocr.openvino import engine_info as openvino_info

        return openvino_info()
    from pipeline.ocr.registry import create_engine

    return create_engine(settings).info


def checked_prefix(prefix: str) -> str:
    """The packet id prefix, or BadInputError when it could not start a packet id."""
    if not re.fullmatch(PREFIX_PATTERN, prefix):
        raise BadInputError(f"--prefix {prefix!r} must match {PREFIX_PATTERN}")
    return prefix


def checkpoint_key(prefix: str, only_stale: bool) -> str:
    """Where the checkpoint of a run over these packets lives in the bucket."""
    kind = "stale" if only_stale else "all"
    return f"{CHECKPOINT_PREFIX}checkpoint-{kind}-{checked_prefix(prefix) or '_'}.json"


def load_checkpoint(storage: Storage, prefix: str, only_stale: bool) -> ReprocessRun | None:
    """The stored checkpoint of an unfinished run, or None."""
    key = checkpoint_key(prefix, only_stale)
    try:
        run = ReprocessRun.model_validate_json(storage.get(key, MAX_CHECKPOINT_BYTES))
    except NotFoundError:
        return None
    except ValidationError as e:
        raise BadInputError(f"{key} is not a reprocess checkpoint: {e.error_count()} errors") from e
    return None if run.finished else run


def save_checkpoint(storage: Storage, run: ReprocessRun) -> None:
    """Put the run's progress in the bucket."""
    run.updated_at = datetime.now(UTC).isoformat(timespec="seconds")
    body = json.dumps(run.model_dump(), indent=1).encode()
    storage.put(checkpoint_key(run.prefix, run.only_stale), body, JSON_TYPE)


def packet_id_of_folder(folder: str) -> str | None:
    """The packet id of a listed `packets/<id>/` folder (None for names that are not ids)."""
    name = folder.removeprefix(PACKETS_PREFIX).rstrip("/")
    try:
        form_key(name)
    except BadInputError:
        return None
    return name


def decide(storage: Storage, packet_id: str, engine: EngineInfo | None) -> Decision:
    """One HEAD of the report when it is current, else one more of the form."""
    if engine is not None:
        try:
            if made_by(storage.stat(report_key(packet_id)), __version__, engine):
                return Decision.CURRENT
        except NotFoundError:
            pass
    try:
        storage.stat(form_key(packet_id))
    except NotFoundError:
        return Decision.NO_FORM
    return Decision.ENQUEUE


def pages(folders: Iterator[str], size: int) -> Iterator[list[str]]:
    """The folders in lists of size."""
    while page := list(islice(folders, size)):
        yield page


def reprocess_archive(
    storage: Storage,
    send: SendBatch,
    run: ReprocessRun,
    engine: EngineInfo | None = None,
    tracker: RunTracker | None = None,
    total: int | None = None,
    progress: bool = True,
    page_size: int = PAGE_SIZE,
    connections: int = HEAD_CONNECTIONS,
) -> ReprocessRun:
    """List, decide and enqueue page by page from run.last_folder; checkpoint every page."""
    folders = storage.list_folders(PACKETS_PREFIX + run.prefix, start_after=run.last_folder)
    bar = tqdm(desc="reprocess", unit="packet", total=total, initial=run.listed,
               disable=not progress, file=sys.stderr)  # fmt: skip
    with ThreadPoolExecutor(connections, thread_name_prefix="head") as pool, bar:
        for page in pages(folders, page_size):
            ids = [pid for pid in map(packet_id_of_folder, page) if pid is not None]
            decisions = list(pool.map(lambda pid: decide(storage, pid, engine), ids))
            chosen = [pid for pid, d in zip(ids, decisions, strict=True) if d is Decision.ENQUEUE]
            if tracker is not None:
                tracker.add_pending(chosen)
            if chosen:
                send(chosen)
            run.listed += len(page)
            run.enqueued += len(chosen)
            run.skipped_current += decisions.count(Decision.CURRENT)
            run.no_form += decisions.count(Decision.NO_FORM)
            run.last_folder = page[-1]
            save_checkpoint(storage, run)
            bar.update(len(page))
            bar.set_postfix(enqueued=run.enqueued, current=run.skipped_current)
    run.finished = True
    save_checkpoint(storage, run)
    return run


def wait_for_run(
    tracker: RunTracker,
    expected: int,
    timeout_seconds: float,
    poll_seconds: float = 1.0,
    progress: bool = True,
) -> RunCounts:
    """Follow the workers' counts of the run until nothing is pending (or the timeout)."""
    deadline = time.monotonic() + timeout_seconds
    bar = tqdm(total=expected, desc="checked", unit="packet", disable=not progress,
               file=sys.stderr)  # fmt: skip
    with bar:
        while True:
            counts = tracker.read()
            bar.update(counts.done - bar.n)
            if counts.pending == 0 or time.monotonic() >= deadline:
                return counts
            time.sleep(poll_seconds)


def format_run(run: ReprocessRun) -> str:
    """The enqueue summary line."""
    line = (
        f"{run.listed} packets listed, {run.enqueued} enqueued, "
        f"{run.skipped_current} already current"
    )
    return line + (f", {run.no_form} without form.json" if run.no_form else "")


def format_tally(counts: RunCounts, missing_sample: Sequence[str] = ()) -> str:
    """The run's counts as lines: verdicts, flag codes, failures, then what never arrived."""
    lines = [f"{counts.done - counts.failed} reports"]
    lines += [f"  verdict {verdict:<16} {count}" for verdict, count in counts.verdicts.items()]
    lines += [f"  flag    {code:<22} {count}" for code, count in counts.flag_codes.items()]
    if counts.failed:
        lines.append(f"  failed (dead letters): {counts.failed}")
    if counts.pending:
        names = ", ".join(missing_sample)
        lines.append(f"  no new report yet: {counts.pending} ({names})")
    return "\n".join(lines)
