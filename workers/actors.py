"""The check_packet actor: thin — packet from storage → pipeline → report into storage."""

import logging
import threading
import time
from typing import TYPE_CHECKING

import dramatiq
from dramatiq import Actor, Broker, MessageProxy, Middleware
from redis.exceptions import RedisError

from pipeline.errors import BadInputError, NotFoundError
from pipeline.privacy import mask_sensitive
from pipeline.settings import Settings
from schemas import PacketReport
from workers.counters import RedisCounters, ReportCounters, RunTracker
from workers.index_records import IndexRecords, RedisIndexRecords
from workers.layout import form_key, report_key
from workers.packet_source import StoragePacketSource
from workers.reports import VERDICT, write_report
from workers.settings import ServiceSettings
from workers.storage import Storage, open_storage

if TYPE_CHECKING:
    from pipeline.ocr.base import OcrEngine
    from pipeline.packet import CheckOutcome

ACTOR_NAME = "check_packet"
# Wall time for one packet: every document at its own limit, twice over, plus a minute.
TIME_LIMIT_MARGIN_MS = 60_000

logger = logging.getLogger("filingcheck.workers")


class WorkerContext:
    """What the actor uses, made once per process from the settings given at the edge."""

    def __init__(self, service: ServiceSettings, core: Settings) -> None:
        self.service = service
        self.core = core
        self._lock = threading.Lock()
        self._storage: Storage | None = None
        self._counters: ReportCounters | None = None
        self._index_records: IndexRecords | None = None

    @property
    def storage(self) -> Storage:
        """This process's storage client (thread-safe; made on first use)."""
        with self._lock:
            if self._storage is None:
                self._storage = open_storage(self.service)
            return self._storage

    @property
    def counters(self) -> ReportCounters | None:
        """The bucket's report counters, or None when no Redis keeps them."""
        url = self.service.counters_redis_url()
        with self._lock:
            if self._counters is None and url:
                self._counters = RedisCounters.from_url(url, self.service.bucket)
            return self._counters

    @property
    def index_records(self) -> IndexRecords | None:
        """The reviewer index's records, or None when no Redis keeps them."""
        url = self.service.counters_redis_url()
        with self._lock:
            if self._index_records is None and url:
                self._index_records = RedisIndexRecords.from_url(url, self.service.bucket)
            return self._index_records

    def run_tracker(self, run_id: str) -> RunTracker | None:
        """The reprocess run's tracker, or None when no Redis keeps the counters."""
        url = self.service.counters_redis_url()
        return RunTracker.from_url(url, run_id) if url else None


def check_packet(context: WorkerContext, packet_id: str, run_id: str | None = None) -> None:
    """Check packets/<packet_id>/, write reports/<packet_id>/report.json, count it."""
    from pipeline.ocr.registry import engine_for_thread

    started = time.perf_counter()
    logger.info("checking packet %s", mask_sensitive(packet_id))
    engine = engine_for_thread(context.core)
    previous = previous_verdict(context.storage, packet_id)
    outcome = check_stored_packet(context.storage, engine, context.core, packet_id)
    count_report(context, outcome.report, previous, run_id)
    codes = ",".join(sorted({flag.code.value for flag in outcome.report.flags})) or "-"
    logger.info(
        "checked packet %s: %s, flags %s, %.1f s",
        mask_sensitive(packet_id),
        outcome.report.verdict.value,
        codes,
        time.perf_counter() - started,
    )


def previous_verdict(storage: Storage, packet_id: str) -> str | None:
    """The verdict of the packet's report now in the bucket (None: no report yet)."""
    try:
        return storage.stat(report_key(packet_id)).metadata.get(VERDICT)
    except NotFoundError:
        return None


def count_report(
    context: WorkerContext, report: PacketReport, previous: str | None, run_id: str | None
) -> None:
    """Update the bucket's counters, the index records and the run's counts; a Redis error
    is logged, not retried (`status --recount` and the next check set them right)."""
    from pipeline.report.html import IndexEntry

    try:
        counters = context.counters
        if counters is not None:
            counters.report_written(report.verdict.value, previous)
        records = context.index_records
        if records is not None:
            records.record(IndexEntry.from_report(report, f"{report.packet_id}/report.html"))
        tracker = context.run_tracker(run_id) if run_id else None
        if tracker is not None:
            codes = {flag.code.value for flag in report.flags}
            tracker.complete(report.packet_id, report.verdict.value, codes)
    except RedisError as e:
        logger.warning("report counters not updated: %s", type(e).__name__)


def check_stored_packet(
    storage: Storage, engine: "OcrEngine", settings: Settings, packet_id: str
) -> "CheckOutcome":
    """Run the pipeline on packets/<id>/ and write its report (NotFoundError: no such packet)."""
    from pipeline.packet import check_packet as run_pipeline

    source = StoragePacketSource(storage, packet_id)
    if not source.exists():
        raise NotFoundError(f"packet {packet_id}: no {form_key(packet_id)} in {storage.describe()}")
    outcome = run_pipeline(source, engine, settings, packet_id_hint=packet_id)
    write_report(storage, packet_id, outcome)
    return outcome


class CountFailures(Middleware):
    """Counts messages that failed for good (nacked into the dead letters)."""

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    def after_nack(self, broker: Broker, message: MessageProxy) -> None:
        """One more failure; a run's packet that failed is no longer pending."""
        try:
            counters = self.context.counters
            if counters is not None:
                counters.message_failed()
            run_id = message.kwargs.get("run_id")
            tracker = self.context.run_tracker(run_id) if isinstance(run_id, str) else None
            if tracker is not None and message.args:
                tracker.fail(str(message.args[0]))
        except RedisError as e:
            logger.warning("failure counters not updated: %s", type(e).__name__)


def packet_time_limit_ms(settings: Settings) -> int:
    """The longest one packet may take before the worker interrupts it (then it is retried)."""
    documents_ms = settings.document_seconds * 1000 * settings.max_documents
    return int(2 * documents_ms + TIME_LIMIT_MARGIN_MS)


def declare_check_packet(broker: Broker, context: WorkerContext) -> Actor[..., None]:
    """Declare the actor on this broker: bad input is not retried; the rest retries, then DLQ."""

    def check_packet_message(packet_id: str, run_id: str | None = None) -> None:
        check_packet(context, packet_id, run_id)

    declare = dramatiq.actor(
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=context.service.queue,
        max_retries=context.service.max_retries,
        min_backoff=context.service.retry_min_backoff_ms,
        max_backoff=context.service.retry_max_backoff_ms,
        time_limit=packet_time_limit_ms(context.core),
        throws=(BadInputError,),
    )
    actor: Actor[..., None] = declare(check_packet_message)
    return actor
