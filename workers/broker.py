"""The one place the Dramatiq broker is configured, from FILINGCHECK_BROKER_URL."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from dramatiq import Broker, Message
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import current_millis
from dramatiq.errors import DramatiqError
from pika.exceptions import AMQPError
from redis.exceptions import RedisError

from pipeline.errors import BadInputError, FilingCheckError
from workers.settings import REDIS_SCHEMES, ServiceSettings

AMQP_SCHEMES = ("amqp", "amqps")
# A command the dispatch script does not know: it only heartbeats (and maintains when asked).
MAINTAIN_COMMAND = "maintain"


class MaintainedRedisBroker(RedisBroker):
    """Dramatiq's RedisBroker plus `maintain`: heartbeat and requeue dead workers' messages now.

    Dramatiq requeues the messages of a worker whose heartbeat is older than the timeout only
    when a command happens to draw its maintenance chance, per queue: minutes after a SIGKILL
    with the default chance. Workers call `maintain` on a timer instead (`RedisMaintenance`).
    """

    def maintain(self, queue_name: str) -> None:
        """Refresh this broker's heartbeat and requeue dead workers' messages of the queue."""
        self._dispatch(MAINTAIN_COMMAND)(queue_name)

    def _should_do_maintenance(self, command: str) -> int:
        if command == MAINTAIN_COMMAND:
            return 1
        return super()._should_do_maintenance(command)

    def enqueue_many(self, messages: Sequence[Message[Any]]) -> list[Message[Any]]:
        """Enqueue messages in one round trip (a Redis pipeline), each as `enqueue` would.

        The dispatch script's arguments are those `RedisBroker._dispatch` passes (dramatiq
        2.2.1, pinned in constraints.txt).
        """
        prepared = [m.copy(options={"redis_message_id": str(uuid4())}) for m in messages]
        for message in prepared:
            self.emit_before("enqueue", message, None)
        dispatch = self.scripts["dispatch"]
        with self.client.pipeline(transaction=False) as pipe:
            for message in prepared:
                args = [
                    "enqueue",
                    current_millis(),
                    message.queue_name,
                    self.broker_id,
                    self.heartbeat_timeout,
                    self.dead_message_ttl,
                    self._should_do_maintenance("enqueue"),
                    self._max_unpack_size(),
                    message.options["redis_message_id"],
                    message.encode(),
                ]
                dispatch(keys=[self.namespace], args=args, client=pipe)
            pipe.execute()
        for message in prepared:
            self.emit_after("enqueue", message, None)
        return prepared

    def all_queue_names(self) -> list[str]:
        """The declared queues and their delay queues (each has its own unacked messages)."""
        return sorted(set(self.queues) | set(self.delay_queues))


def build_broker(settings: ServiceSettings, **options: Any) -> Broker:
    """A Redis broker for redis:// URLs, a RabbitmqBroker for amqp:// URLs (nothing global)."""
    scheme = urlsplit(settings.broker_url).scheme
    if scheme in REDIS_SCHEMES:
        return MaintainedRedisBroker(
            url=settings.broker_url,
            heartbeat_timeout=settings.redis_heartbeat_timeout_ms,
            maintenance_chance=settings.redis_maintenance_chance,
            **options,
        )
    if scheme in AMQP_SCHEMES:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=settings.broker_url, confirm_delivery=True, **options)
    raise BadInputError(
        f"FILINGCHECK_BROKER_URL must start with redis:// or amqp://, not {scheme or '(none)'}://"
    )


def describe_broker_url(url: str) -> str:
    """The broker URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class BrokerUnavailableError(FilingCheckError):
    """The message broker (Redis or RabbitMQ) is unreachable or refused the request."""

    exit_code = 3


@contextmanager
def broker_errors(url: str | None) -> Iterator[None]:
    """Convert the broker libraries' connection errors into BrokerUnavailableError."""
    try:
        yield
    except (DramatiqError, RedisError, AMQPError, OSError) as e:
        where = f"broker {describe_broker_url(url)}" if url else "the broker"
        raise BrokerUnavailableError(f"{where} is unavailable: {type(e).__name__}") from e
