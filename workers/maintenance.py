"""Each worker process heartbeats Redis and requeues dead workers' messages on a timer.

With this, the messages of a SIGKILLed worker are back in the queue at most
FILINGCHECK_REDIS_HEARTBEAT_TIMEOUT_MS + FILINGCHECK_REDIS_MAINTENANCE_INTERVAL_MS after it
died (20 s with the defaults), as long as one worker process is alive. The timer also
heartbeats, besides the consumers' polling, so a worker busy with a packet longer than the
timeout keeps its messages.
"""

import logging
import threading

from dramatiq import Broker, Middleware, Worker
from redis.exceptions import RedisError

from workers.broker import MaintainedRedisBroker

logger = logging.getLogger("filingcheck.workers.maintenance")


def maintain_queues(broker: MaintainedRedisBroker) -> None:
    """One round: heartbeat and requeue on every queue the broker knows (errors are logged)."""
    for queue_name in broker.all_queue_names():
        try:
            broker.maintain(queue_name)
        except RedisError as e:
            logger.warning("Redis maintenance of %s failed: %s", queue_name, type(e).__name__)


class RedisMaintenance(Middleware):
    """Runs `maintain_queues` at boot and then every interval until the worker has stopped."""

    def __init__(self, interval_ms: int) -> None:
        self.interval_seconds = interval_ms / 1000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker: Broker, worker: Worker) -> None:
        """Start the timer thread (Redis brokers only)."""
        if not isinstance(broker, MaintainedRedisBroker):
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(broker,), name="redis-maintenance", daemon=True
        )
        self._thread.start()

    def after_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        """Stop the timer once in-flight messages have finished (heartbeats go on till then)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval_seconds + 5)

    def _run(self, broker: MaintainedRedisBroker) -> None:
        maintain_queues(broker)
        while not self._stop.wait(self.interval_seconds):
            maintain_queues(broker)
