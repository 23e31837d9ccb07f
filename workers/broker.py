"""The one place the Dramatiq broker is configured, from FILINGCHECK_BROKER_URL."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from dramatiq import Broker
from dramatiq.errors import DramatiqError
from pika.exceptions import AMQPError
from redis.exceptions import RedisError

from pipeline.errors import BadInputError, FilingCheckError
from pipeline.settings import Settings

REDIS_SCHEMES = ("redis", "rediss", "unix")
AMQP_SCHEMES = ("amqp", "amqps")


def build_broker(settings: Settings) -> Broker:
    """A RedisBroker for redis:// URLs, a RabbitmqBroker for amqp:// URLs (nothing global)."""
    scheme = urlsplit(settings.broker_url).scheme
    if scheme in REDIS_SCHEMES:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(
            url=settings.broker_url,
            heartbeat_timeout=settings.redis_heartbeat_timeout_ms,
            maintenance_chance=settings.redis_maintenance_chance,
        )
    if scheme in AMQP_SCHEMES:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=settings.broker_url, confirm_delivery=True)
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
