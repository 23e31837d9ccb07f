"""Fixtures for the worker tests: private Redis and S3 servers, RabbitMQ, one stack per test.

tests/conftest.py imports these; every server and worker started here is stopped in teardown.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import (
    MACHINE_RABBITMQ_URL,
    PrivateRabbitmq,
    RedisServer,
    SeaweedS3,
    ServiceStack,
    delete_rabbitmq_queues,
    port_answers,
)

__all__ = ["rabbitmq_stack", "rabbitmq_url", "redis_server", "redis_stack", "s3_server"]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A private redis-server for the whole test session."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A private SeaweedFS S3 server for the whole test session."""
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def rabbitmq_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's RabbitMQ when it answers on 5672, else a private node."""
    if port_answers(5672):
        yield MACHINE_RABBITMQ_URL
        return
    node = PrivateRabbitmq(tmp_path_factory.mktemp("rabbitmq"))
    try:
        node.start()
        yield node.url
    finally:
        node.stop()


def _stack_name() -> str:
    """A bucket and queue name no other test uses."""
    return f"fc-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_stack(
    redis_server: RedisServer, s3_server: SeaweedS3, tmp_path: Path
) -> Iterator[ServiceStack]:
    """A bucket and queue of this test's own, on Redis."""
    stack = ServiceStack(tmp_path, _stack_name(), redis_server.url, s3_server)
    try:
        yield stack
    finally:
        stack.close()


@pytest.fixture
def rabbitmq_stack(
    rabbitmq_url: str, redis_server: RedisServer, s3_server: SeaweedS3, tmp_path: Path
) -> Iterator[ServiceStack]:
    """A bucket and queue of this test's own, on RabbitMQ (counters in the private Redis)."""
    stack = ServiceStack(tmp_path, _stack_name(), rabbitmq_url, s3_server)
    stack.env["FILINGCHECK_COUNTERS_URL"] = redis_server.url
    try:
        yield stack
    finally:
        stack.close()
        delete_rabbitmq_queues(rabbitmq_url, stack.name)
