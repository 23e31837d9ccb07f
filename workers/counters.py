"""Counters the workers keep in Redis, so that `status` and `reprocess --wait` read, not list.

- `filingcheck:counters:<bucket>` (hash): `verdict:<v>` packets whose report has that verdict,
  `written` reports written (rewrites included), `failed` messages failed for good, `since`.
- `filingcheck:run:<run id>` (hash) and `…:pending` (set): one reprocess run's counts by
  verdict and flag code, and the packets not checked yet; they expire after a week.

The counters are kept as reports are written, so a report written twice at the same moment
can be counted twice: `filingcheck status --recount` lists the bucket and resets them.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import redis
from pydantic import BaseModel, Field

VERDICT_FIELD = "verdict:"
FLAG_FIELD = "flag:"
WRITTEN, FAILED, SINCE, DONE = "written", "failed", "since", "done"
RUN_TTL_SECONDS = 7 * 24 * 3600
RECENT_KEPT = 500  # packet ids a run remembers for its reviewer index

# Atomically: the packet leaves the run's pending set, and only then is it counted.
COMPLETE_SCRIPT = f"""
if redis.call('srem', KEYS[2], ARGV[1]) == 1 then
  redis.call('hincrby', KEYS[1], '{DONE}', 1)
  for i = 2, #ARGV do redis.call('hincrby', KEYS[1], ARGV[i], 1) end
  redis.call('lpush', KEYS[3], ARGV[1])
  redis.call('ltrim', KEYS[3], 0, {RECENT_KEPT - 1})
  redis.call('expire', KEYS[1], {RUN_TTL_SECONDS})
  redis.call('expire', KEYS[3], {RUN_TTL_SECONDS})
  return 1
end
return 0
"""


class ReportCounts(BaseModel):
    """What the workers counted since `since`."""

    verdicts: dict[str, int] = Field(default_factory=dict, description="packets by verdict")
    written: int = Field(default=0, description="reports written, rewrites included")
    failed: int = Field(default=0, description="messages that failed for good")
    since: str | None = Field(default=None, description="first count or last recount (ISO)")

    @property
    def reports(self) -> int:
        """Packets with a report."""
        return sum(max(count, 0) for count in self.verdicts.values())


class RunCounts(BaseModel):
    """One reprocess run: packets checked, by verdict and flag code, and how many pending."""

    done: int = 0
    failed: int = 0
    pending: int = 0
    verdicts: dict[str, int] = Field(default_factory=dict)
    flag_codes: dict[str, int] = Field(default_factory=dict)


class ReportCounters(Protocol):
    """The bucket's report counters (Redis in production, a dict in unit tests)."""

    def report_written(self, verdict: str, previous: str | None) -> None:
        """A report with this verdict replaced one with `previous` (None: the first)."""
        ...

    def message_failed(self) -> None:
        """A message failed for good (it is in the dead letters)."""
        ...

    def read(self) -> ReportCounts:
        """The counts now."""
        ...

    def reset(self, verdicts: Mapping[str, int]) -> None:
        """Start again from a recount of the bucket."""
        ...


def counts_from_hash(fields: Mapping[str, str]) -> ReportCounts:
    """ReportCounts from the hash's fields."""
    return ReportCounts(
        verdicts={
            name.removeprefix(VERDICT_FIELD): int(value)
            for name, value in sorted(fields.items())
            if name.startswith(VERDICT_FIELD) and int(value) != 0
        },
        written=int(fields.get(WRITTEN, 0)),
        failed=int(fields.get(FAILED, 0)),
        since=fields.get(SINCE),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class MemoryCounters:
    """The in-memory stand-in for unit tests."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def _add(self, name: str, amount: int) -> None:
        self.fields[name] = str(int(self.fields.get(name, "0")) + amount)

    def report_written(self, verdict: str, previous: str | None) -> None:
        self._add(VERDICT_FIELD + verdict, 1)
        if previous:
            self._add(VERDICT_FIELD + previous, -1)
        self._add(WRITTEN, 1)
        self.fields.setdefault(SINCE, _now())

    def message_failed(self) -> None:
        self._add(FAILED, 1)

    def read(self) -> ReportCounts:
        return counts_from_hash(self.fields)

    def reset(self, verdicts: Mapping[str, int]) -> None:
        self.fields = {VERDICT_FIELD + v: str(n) for v, n in verdicts.items()} | {SINCE: _now()}


class RedisCounters:
    """The counters in one Redis hash per bucket."""

    def __init__(self, client: redis.Redis, bucket: str) -> None:
        self.client = client
        self.key = f"filingcheck:counters:{bucket}"

    @classmethod
    def from_url(cls, url: str, bucket: str) -> "RedisCounters":
        """Counters on the Redis at url (connects on first use)."""
        return cls(redis.Redis.from_url(url, decode_responses=True), bucket)

    def report_written(self, verdict: str, previous: str | None) -> None:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hincrby(self.key, VERDICT_FIELD + verdict, 1)
            if previous:
                pipe.hincrby(self.key, VERDICT_FIELD + previous, -1)
            pipe.hincrby(self.key, WRITTEN, 1)
            pipe.hsetnx(self.key, SINCE, _now())
            pipe.execute()

    def message_failed(self) -> None:
        self.client.hincrby(self.key, FAILED, 1)

    def read(self) -> ReportCounts:
        return counts_from_hash(_text_dict(self.client.hgetall(self.key)))

    def reset(self, verdicts: Mapping[str, int]) -> None:
        mapping: dict[Any, Any] = {VERDICT_FIELD + v: str(n) for v, n in verdicts.items()}
        mapping[SINCE] = _now()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(self.key)
            pipe.hset(self.key, mapping=mapping)
            pipe.execute()


class RunTracker:
    """One reprocess run in Redis: the pending packets, and counts kept by the workers."""

    def __init__(self, client: redis.Redis, run_id: str) -> None:
        self.client = client
        self.run_id = run_id
        self.key = f"filingcheck:run:{run_id}"
        self.pending_key = f"{self.key}:pending"
        self.recent_key = f"{self.key}:recent"

    @classmethod
    def from_url(cls, url: str, run_id: str) -> "RunTracker":
        """The run's tracker on the Redis at url."""
        return cls(redis.Redis.from_url(url, decode_responses=True), run_id)

    def add_pending(self, packet_ids: Iterable[str]) -> None:
        """Mark packets as enqueued by this run (before they are enqueued)."""
        ids = list(packet_ids)
        if not ids:
            return
        with self.client.pipeline(transaction=False) as pipe:
            pipe.sadd(self.pending_key, *ids)
            for key in (self.pending_key, self.key, self.recent_key):
                pipe.expire(key, RUN_TTL_SECONDS)
            pipe.execute()

    def complete(self, packet_id: str, verdict: str, flag_codes: Iterable[str]) -> bool:
        """A worker checked the packet: count it once (False when it was not pending)."""
        fields = [VERDICT_FIELD + verdict, *(FLAG_FIELD + code for code in sorted(flag_codes))]
        return self._complete(packet_id, fields)

    def fail(self, packet_id: str) -> bool:
        """The packet's message failed for good: count it once as failed."""
        return self._complete(packet_id, [FAILED])

    def _complete(self, packet_id: str, fields: list[str]) -> bool:
        keys = [self.key, self.pending_key, self.recent_key]
        return bool(self.client.eval(COMPLETE_SCRIPT, len(keys), *keys, packet_id, *fields))

    def read(self) -> RunCounts:
        """The counts now (two commands, whatever the size of the run)."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hgetall(self.key)
            pipe.scard(self.pending_key)
            raw_fields, pending = pipe.execute()
        fields = _text_dict(raw_fields)
        return RunCounts(
            done=int(fields.get(DONE, 0)),
            failed=int(fields.get(FAILED, 0)),
            pending=int(pending),
            verdicts=_fields_with(fields, VERDICT_FIELD),
            flag_codes=_fields_with(fields, FLAG_FIELD),
        )

    def pending_sample(self, count: int) -> list[str]:
        """Up to count packets not checked yet."""
        members = self.client.srandmember(self.pending_key, count) or []
        return sorted(str(member) for member in members)

    def recent(self) -> list[str]:
        """The packets checked last (at most RECENT_KEPT), newest first."""
        return [str(member) for member in self.client.lrange(self.recent_key, 0, -1)]


def _fields_with(fields: Mapping[str, str], prefix: str) -> dict[str, int]:
    return {
        name.removeprefix(prefix): int(value)
        for name, value in sorted(fields.items())
        if name.startswith(prefix)
    }


def _text_dict(fields: Mapping[Any, Any]) -> dict[str, str]:
    """A Redis hash as str → str (the clients decode responses)."""
    return {str(name): str(value) for name, value in fields.items()}
