"""The workers' counters and a reprocess run's tracker, on a real (private) Redis."""

import uuid

import pytest
import redis

from tests.services import RedisServer
from workers.counters import MemoryCounters, RedisCounters, ReportCounters, RunTracker


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.services)])
def counters(request: pytest.FixtureRequest) -> ReportCounters:
    """Fresh counters of each implementation."""
    if request.param == "memory":
        return MemoryCounters()
    server: RedisServer = request.getfixturevalue("redis_server")
    return RedisCounters.from_url(server.url, f"bucket-{uuid.uuid4().hex[:8]}")


def test_counters_follow_verdicts_as_reports_are_rewritten(counters: ReportCounters) -> None:
    counters.report_written("pass", None)
    counters.report_written("reject", None)
    counters.report_written("review", "pass")  # the first packet checked again
    counters.message_failed()
    counts = counters.read()
    assert counts.verdicts == {"reject": 1, "review": 1}
    assert (counts.reports, counts.written, counts.failed) == (2, 3, 1)
    assert counts.since is not None
    counters.reset({"pass": 5})
    assert (counters.read().verdicts, counters.read().written) == ({"pass": 5}, 0)


@pytest.mark.services
def test_a_run_counts_each_packet_once_and_names_the_pending(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    tracker = RunTracker(client, uuid.uuid4().hex)
    tracker.add_pending(["A", "B", "C"])
    assert tracker.complete("A", "reject", ["NAME_MISMATCH", "LOW_QUALITY"])
    assert not tracker.complete("A", "reject", ["NAME_MISMATCH"])  # checked twice: once
    assert tracker.complete("B", "pass", [])
    assert not tracker.complete("Z", "pass", [])  # not in this run
    assert tracker.fail("C") and not tracker.fail("C")
    counts = tracker.read()
    assert (counts.done, counts.failed, counts.pending) == (3, 1, 0)
    assert counts.verdicts == {"pass": 1, "reject": 1}
    assert counts.flag_codes == {"LOW_QUALITY": 1, "NAME_MISMATCH": 1}
    assert tracker.recent() == ["C", "B", "A"]
    tracker.add_pending(["D"])
    assert tracker.pending_sample(10) == ["D"]
    assert 0 < client.ttl(tracker.pending_key) <= 7 * 24 * 3600
