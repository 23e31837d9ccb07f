"""What the service is doing: queue depth, messages being retried, dead letters, reports.

Every figure is read in constant time: queue counts from the broker, report counts from the
counters the workers keep (`workers.counters`). Only `--recount` lists the bucket.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from dramatiq import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from pydantic import BaseModel, Field

from pipeline.errors import NotFoundError
from schemas.form import is_safe_packet_id
from workers.broker import broker_errors, build_broker, describe_broker_url
from workers.counters import RedisCounters, ReportCounters, ReportCounts
from workers.layout import REPORTS_PREFIX, report_id_of_key, report_key
from workers.reports import VERDICT
from workers.reprocess import pages
from workers.settings import ServiceSettings
from workers.storage import Storage, open_storage

RECOUNT_CONNECTIONS = 16
RECOUNT_PAGE = 1000
UNKNOWN_VERDICT = "unknown"


class QueueStatus(BaseModel):
    """Message counts of the check queue."""

    queue: str
    waiting: int = Field(ge=0, description="enqueued, not yet taken by a worker")
    in_progress: int | None = Field(
        default=None, ge=0, description="taken, not yet acknowledged (Redis only)"
    )
    retrying: int = Field(ge=0, description="in the delay queue, waiting for a retry")
    dead_letters: int = Field(ge=0, description="failed for good; kept for inspection")


class ServiceStatus(BaseModel):
    """The queue and the bucket at one moment."""

    broker: str
    storage: str
    queue: QueueStatus
    reports: int | None = Field(
        default=None, ge=0, description="packets with a report (None: no counters kept)"
    )
    counts: ReportCounts | None = Field(default=None, description="the workers' counters")
    recounted: bool = Field(default=False, description="counted by listing the bucket")


def queue_status(broker: Broker, queue: str) -> QueueStatus:
    """Counts for the queue, its delay queue and its dead-letter queue."""
    if isinstance(broker, RedisBroker):
        return _redis_queue_status(broker, queue)
    if isinstance(broker, RabbitmqBroker):
        waiting, retrying, dead = broker.get_queue_message_counts(queue)
        return QueueStatus(queue=queue, waiting=waiting, retrying=retrying, dead_letters=dead)
    raise TypeError(f"no queue status for {type(broker).__name__}")


def _redis_queue_status(broker: RedisBroker, queue: str) -> QueueStatus:
    """Read the counts straight from the keys Dramatiq's Redis broker keeps."""
    client, prefix = broker.client, f"{broker.namespace}:{queue}"
    waiting = int(client.llen(prefix))
    stored = int(client.hlen(f"{prefix}.msgs"))
    return QueueStatus(
        queue=queue,
        waiting=waiting,
        in_progress=max(stored - waiting, 0),
        retrying=int(client.hlen(f"{prefix}.DQ.msgs")),
        dead_letters=int(client.zcard(f"{prefix}.XQ")),
    )


def count_reports(storage: Storage) -> int:
    """How many packets have a report.json in the bucket (lists every report key)."""
    return sum(1 for key in storage.list_keys(REPORTS_PREFIX) if report_id_of_key(key))


def recount_verdicts(storage: Storage, connections: int = RECOUNT_CONNECTIONS) -> dict[str, int]:
    """Packets by the verdict their report's metadata names: a delimiter listing of reports/
    (one entry per packet folder, whatever else the folder holds) plus a HEAD each."""

    def verdict_of(packet_id: str) -> str | None:
        try:
            return storage.stat(report_key(packet_id)).metadata.get(VERDICT, UNKNOWN_VERDICT)
        except NotFoundError:
            return None

    folders = storage.list_folders(REPORTS_PREFIX)
    ids = (pid for folder in folders if is_safe_packet_id(pid := folder[len(REPORTS_PREFIX) : -1]))
    verdicts: Counter[str] = Counter()
    with ThreadPoolExecutor(connections, thread_name_prefix="recount") as pool:
        for page in pages(ids, RECOUNT_PAGE):
            verdicts.update(v for v in pool.map(verdict_of, page) if v is not None)
    return dict(sorted(verdicts.items()))


def open_counters(settings: ServiceSettings) -> ReportCounters | None:
    """The report counters of the bucket, or None when no Redis keeps them."""
    url = settings.counters_redis_url()
    return RedisCounters.from_url(url, settings.bucket) if url else None


def service_status(
    settings: ServiceSettings, storage: Storage | None = None, recount: bool = False
) -> ServiceStatus:
    """Queue counts from the broker, report counts from the counters (or a recount)."""
    storage = storage or open_storage(settings)
    broker = build_broker(settings)
    try:
        with broker_errors(settings.broker_url):
            queue = queue_status(broker, settings.queue)
    finally:
        broker.close()
    counters = open_counters(settings)
    with broker_errors(settings.counters_redis_url()):
        if recount and counters is not None:
            counters.reset(recount_verdicts(storage))
        counts = counters.read() if counters is not None else None
    reports = counts.reports if counts is not None else None
    if recount and counters is None:
        reports = count_reports(storage)
    return ServiceStatus(
        broker=describe_broker_url(settings.broker_url),
        storage=storage.describe(),
        queue=queue,
        reports=reports,
        counts=counts,
        recounted=recount,
    )


def format_status(status: ServiceStatus) -> str:
    """The status as a few aligned lines for a terminal."""
    queue = status.queue
    in_progress = "n/a" if queue.in_progress is None else str(queue.in_progress)
    reports = "n/a (no counters: set FILINGCHECK_COUNTERS_URL, or --recount)"
    if status.reports is not None:
        reports = str(status.reports) + ("  (recounted)" if status.recounted else "")
    lines = [
        f"broker        {status.broker}  (queue {queue.queue})",
        f"waiting       {queue.waiting}",
        f"in progress   {in_progress}",
        f"retrying      {queue.retrying}",
        f"dead letters  {queue.dead_letters}",
        f"storage       {status.storage}",
        f"reports       {reports}",
    ]
    if status.counts is not None:
        lines += [f"  {verdict:<12}{count}" for verdict, count in status.counts.verdicts.items()]
        since = status.counts.since or "-"
        lines.append(f"written       {status.counts.written} since {since}")
        lines.append(f"failed        {status.counts.failed} since {since}")
    return "\n".join(lines)
