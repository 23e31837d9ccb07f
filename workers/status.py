"""What the service is doing: queue depth, messages being retried, dead letters, reports."""

from dramatiq import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from pydantic import BaseModel, Field

from pipeline.settings import Settings
from workers.broker import broker_errors, build_broker, describe_broker_url
from workers.layout import REPORTS_PREFIX, report_id_of_key
from workers.storage import Storage, open_storage


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
    reports: int = Field(ge=0, description="reports/<id>/report.json objects in the bucket")


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
    """How many packets have a report.json in the bucket."""
    return sum(1 for key in storage.list_keys(REPORTS_PREFIX) if report_id_of_key(key))


def service_status(settings: Settings, storage: Storage | None = None) -> ServiceStatus:
    """Queue counts from the broker and the report count from the bucket."""
    storage = storage or open_storage(settings)
    broker = build_broker(settings)
    try:
        with broker_errors(settings.broker_url):
            queue = queue_status(broker, settings.queue)
    finally:
        broker.close()
    return ServiceStatus(
        broker=describe_broker_url(settings.broker_url),
        storage=storage.describe(),
        queue=queue,
        reports=count_reports(storage),
    )


def format_status(status: ServiceStatus) -> str:
    """The status as a few aligned lines for a terminal."""
    queue = status.queue
    in_progress = "n/a" if queue.in_progress is None else str(queue.in_progress)
    return "\n".join(
        [
            f"broker        {status.broker}  (queue {queue.queue})",
            f"waiting       {queue.waiting}",
            f"in progress   {in_progress}",
            f"retrying      {queue.retrying}",
            f"dead letters  {queue.dead_letters}",
            f"storage       {status.storage}",
            f"reports       {status.reports}",
        ]
    )
