"""The reviewer index's records, kept by the workers in Redis as they write reports.

- `filingcheck:index:<bucket>:checked` (sorted set): packet id → when it was checked (epoch s)
- `filingcheck:index:<bucket>:entries` (hash): packet id → its index line, a JSON array of
  the fields in STORED_FIELDS order (~150 bytes; with the set, ~0.35 KB of Redis per packet)

A re-check replaces the packet's line and moves it to the front. The index pages are built
from these newest first, a batch at a time (`workers.review_index`), never all at once.
"""

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

import redis

from pipeline.report.html import IndexEntry

logger = logging.getLogger("filingcheck.workers.index")

# The line's fields but the packet id (the hash field) and the link (which follows from it).
STORED_FIELDS: tuple[str, ...] = tuple(
    name for name in IndexEntry.model_fields if name not in ("packet_id", "href")
)


def entry_json(entry: IndexEntry) -> str:
    """The line as stored: its values as a JSON array, in STORED_FIELDS order."""
    values = entry.model_dump(mode="json", include=set(STORED_FIELDS))
    return json.dumps([values[name] for name in STORED_FIELDS], ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip


def entry_of_json(packet_id: str, raw: str) -> IndexEntry | None:
    """A stored line, its link relative to reports/ (where the index pages are); None, with
    a warning, for a line this version cannot read (the packet's next check rewrites it)."""
    try:
        fields = dict(zip(STORED_FIELDS, json.loads(raw), strict=True))
        return IndexEntry.model_validate(
            fields | {"packet_id": packet_id, "href": f"{packet_id}/report.html"}
        )
    except (ValueError, TypeError) as e:
        logger.warning("index line of %s left out: %s", packet_id, type(e).__name__)
        return None


def _readable(entries: Iterable[IndexEntry | None]) -> list[IndexEntry]:
    return [entry for entry in entries if entry is not None]


class IndexRecords(Protocol):
    """The index lines of every packet with a report (Redis, or a dict in unit tests)."""

    def record(self, entry: IndexEntry) -> None:
        """The packet's line now (replacing any earlier one)."""
        ...

    def count(self) -> int:
        """Packets recorded."""
        ...

    def newest_first(self, batch: int) -> Iterator[list[IndexEntry]]:
        """Every line, the last checked first, at most batch at a time."""
        ...


class MemoryIndexRecords:
    """The in-memory stand-in for unit tests."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[float, str]] = {}

    def record(self, entry: IndexEntry) -> None:
        self.lines[entry.packet_id] = (entry.checked_at.timestamp(), entry_json(entry))

    def count(self) -> int:
        return len(self.lines)

    def newest_first(self, batch: int) -> Iterator[list[IndexEntry]]:
        ranked = sorted(self.lines.items(), key=lambda item: (-item[1][0], item[0]))
        for start in range(0, len(ranked), batch):
            chosen = ranked[start : start + batch]
            yield _readable(entry_of_json(packet_id, raw) for packet_id, (_, raw) in chosen)


class RedisIndexRecords:
    """The lines in one sorted set and one hash per bucket."""

    def __init__(self, client: redis.Redis, bucket: str) -> None:
        self.client = client
        self.checked_key = f"filingcheck:index:{bucket}:checked"
        self.entries_key = f"filingcheck:index:{bucket}:entries"

    @classmethod
    def from_url(cls, url: str, bucket: str) -> "RedisIndexRecords":
        """Records on the Redis at url (connects on first use)."""
        return cls(redis.Redis.from_url(url, decode_responses=True), bucket)

    def record(self, entry: IndexEntry) -> None:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(self.checked_key, {entry.packet_id: entry.checked_at.timestamp()})
            pipe.hset(self.entries_key, entry.packet_id, entry_json(entry))
            pipe.execute()

    def count(self) -> int:
        return int(self.client.zcard(self.checked_key))

    def newest_first(self, batch: int) -> Iterator[list[IndexEntry]]:
        """Pages of the sorted set by score, so lines added meanwhile neither repeat nor
        shift the rest; packets checked at the very same instant are kept together."""
        below = "+inf"
        while True:
            ids, lowest = self._ids_below(below, batch)
            if not ids:
                return
            yield self._entries(ids)
            below = f"({lowest!r}"  # exclusive

    def _ids_below(self, below: str, batch: int) -> tuple[list[str], float]:
        """Up to batch ids scored below `below` (plus any tied with the last), and its score."""
        found: list[Any] = self.client.zrevrangebyscore(
            self.checked_key, below, "-inf", start=0, num=batch, withscores=True
        )
        ids = [str(member) for member, _ in found]
        lowest = float(found[-1][1]) if found else 0.0
        if len(found) == batch:
            taken = set(ids)
            tied = self.client.zrevrangebyscore(self.checked_key, lowest, lowest)
            ids += [str(member) for member in tied if str(member) not in taken]
        return ids, lowest

    def _entries(self, ids: Sequence[str]) -> list[IndexEntry]:
        lines = self.client.hmget(self.entries_key, list(ids))
        found = zip(ids, lines, strict=True)
        return _readable(entry_of_json(pid, str(raw)) for pid, raw in found if raw is not None)
