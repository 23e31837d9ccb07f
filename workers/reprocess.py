"""Check an archive again: list packets in the bucket, enqueue them, optionally follow reports."""

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator

from pydantic import BaseModel, Field
from tqdm import tqdm

from pipeline import __version__
from pipeline.errors import NotFoundError
from pipeline.settings import Settings
from schemas import EngineInfo, PacketReport
from workers.layout import PACKETS_PREFIX, packet_id_of_form_key, report_key
from workers.reports import CHECKED_AT, made_by, read_report
from workers.storage import Storage

Enqueue = Callable[[str], object]


class ReprocessRun(BaseModel):
    """What one reprocess run listed, skipped and enqueued."""

    listed: int = Field(default=0, ge=0)
    skipped_current: int = Field(default=0, ge=0, description="report already up to date")
    enqueued: dict[str, str | None] = Field(
        default_factory=dict, description="packet id → marker of its report before enqueueing"
    )


class ReportTally(BaseModel):
    """The reports that appeared while waiting, counted by verdict and by flag code."""

    reported: int = Field(default=0, ge=0)
    verdicts: dict[str, int] = Field(default_factory=dict)
    flag_codes: dict[str, int] = Field(default_factory=dict, description="packets with the flag")
    missing: list[str] = Field(default_factory=list, description="no new report before timeout")
    reports: list[PacketReport] = Field(default_factory=list, exclude=True)


def current_engine_info(settings: Settings) -> EngineInfo:
    """The engine and model the workers use now, without loading PaddleOCR's models."""
    if settings.engine == "paddleocr":
        from pipeline.ocr.paddle import engine_info

        return engine_info()
    from pipeline.ocr.registry import create_engine

    return create_engine(settings).info


def stored_packet_ids(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Ids of the packets whose form.json is in the bucket, ids starting with prefix."""
    for key in storage.list_keys(PACKETS_PREFIX + prefix):
        packet_id = packet_id_of_form_key(key)
        if packet_id is not None:
            yield packet_id


def report_marker(storage: Storage, packet_id: str) -> str | None:
    """Something that changes whenever the packet's report is rewritten (None: no report)."""
    try:
        info = storage.stat(report_key(packet_id))
    except NotFoundError:
        return None
    modified = info.last_modified.isoformat() if info.last_modified else ""
    return info.metadata.get(CHECKED_AT) or modified


def is_current(storage: Storage, packet_id: str, engine: EngineInfo) -> bool:
    """Whether the packet's report was made by this pipeline version, engine and model."""
    try:
        info = storage.stat(report_key(packet_id))
    except NotFoundError:
        return False
    return made_by(info, __version__, engine)


def enqueue_packets(
    storage: Storage,
    enqueue: Enqueue,
    prefix: str = "",
    only_current_engine: EngineInfo | None = None,
    progress: bool = True,
) -> ReprocessRun:
    """Enqueue every stored packet; with only_current_engine, skip reports it already made."""
    run = ReprocessRun()
    bar = tqdm(desc="enqueue", unit="packet", disable=not progress, file=sys.stderr)
    with bar:
        for packet_id in stored_packet_ids(storage, prefix):
            run.listed += 1
            bar.update()
            if only_current_engine and is_current(storage, packet_id, only_current_engine):
                run.skipped_current += 1
                continue
            run.enqueued[packet_id] = report_marker(storage, packet_id)
            enqueue(packet_id)
            bar.set_postfix(enqueued=len(run.enqueued), skipped=run.skipped_current)
    return run


def wait_for_reports(
    storage: Storage,
    before: dict[str, str | None],
    timeout_seconds: float,
    poll_seconds: float = 1.0,
    progress: bool = True,
) -> ReportTally:
    """Follow the packets' reports until each is rewritten (or the timeout); tally them."""
    tally = ReportTally()
    verdicts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    pending = dict(before)
    deadline = time.monotonic() + timeout_seconds
    bar = tqdm(
        total=len(pending), desc="reports", unit="packet", disable=not progress, file=sys.stderr
    )
    with bar:
        while pending and time.monotonic() < deadline:
            for packet_id in [p for p in pending if report_marker(storage, p) != pending[p]]:
                report = read_report(storage, packet_id)
                tally.reports.append(report)
                verdicts[report.verdict.value] += 1
                codes.update({flag.code.value for flag in report.flags})
                del pending[packet_id]
                bar.update()
            if pending:
                time.sleep(poll_seconds)
    tally.reported = len(before) - len(pending)
    tally.verdicts = dict(sorted(verdicts.items()))
    tally.flag_codes = dict(sorted(codes.items()))
    tally.missing = sorted(pending)
    return tally


def format_tally(tally: ReportTally) -> str:
    """The tally as lines: verdict counts, then flag codes, then what never arrived."""
    lines = [f"{tally.reported} reports"]
    lines += [f"  verdict {verdict:<16} {count}" for verdict, count in tally.verdicts.items()]
    lines += [f"  flag    {code:<22} {count}" for code, count in tally.flag_codes.items()]
    if tally.missing:
        lines.append(f"  no new report yet: {len(tally.missing)} ({', '.join(tally.missing[:10])})")
    return "\n".join(lines)
