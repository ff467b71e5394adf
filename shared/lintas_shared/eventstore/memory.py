"""In-memory twin of the event store for unit tests; same contract as the PostgreSQL one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore.ports import (
    ConcurrencyConflict,
    DuplicateIdempotencyKey,
    IdempotencyRecord,
    RecordedEvent,
    StreamAppend,
)


class InMemoryEventStore:
    """Streams in a dict; ``outbox`` collects (topic, key, event) as the relay would send."""

    def __init__(self) -> None:
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._all: list[RecordedEvent] = []
        self._keys: dict[str, IdempotencyRecord] = {}
        self._lock = asyncio.Lock()
        self.outbox: list[tuple[str, str, RecordedEvent]] = []

    @asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        """Nothing to pin in memory; kept so use cases run the same on both stores."""
        yield

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]:
        return list(self._streams.get(stream_id, ()))

    async def read_streams(
        self, stream_ids: Sequence[str], after: Mapping[str, int] | None = None
    ) -> dict[str, list[RecordedEvent]]:
        known = after or {}
        return {
            sid: list(self._streams.get(sid, ()))[known.get(sid, 0) :]
            for sid in stream_ids
        }

    async def read_by_type(self, types: Sequence[str]) -> list[RecordedEvent]:
        wanted = set(types)
        return [e for e in self._all if e.type in wanted]

    async def idempotent_response(self, key: str) -> IdempotencyRecord | None:
        return self._keys.get(key)

    async def append(
        self,
        appends: Sequence[StreamAppend],
        metadata: EventMetadata,
        idempotency: IdempotencyRecord | None = None,
    ) -> list[RecordedEvent]:
        async with self._lock:
            if idempotency is not None and idempotency.key in self._keys:
                raise DuplicateIdempotencyKey(self._keys[idempotency.key])
            _check(appends, self._streams)
            now = datetime.now(UTC)
            recorded: list[RecordedEvent] = []
            for append in appends:
                stream = self._streams.setdefault(append.stream_id, [])
                for offset, new in enumerate(append.events, 1):
                    event = RecordedEvent(
                        event_id=new.event_id,
                        stream_id=append.stream_id,
                        version=append.expected_version + offset,
                        type=new.type,
                        data=new.data,
                        metadata=metadata,
                        recorded_at=now,
                    )
                    stream.append(event)
                    self._all.append(event)
                    recorded.append(event)
                    if new.topic is not None:
                        self.outbox.append((new.topic, append.stream_id, event))
            if idempotency is not None:
                self._keys[idempotency.key] = idempotency
            return recorded


def _check(
    appends: Sequence[StreamAppend], streams: Mapping[str, list[RecordedEvent]]
) -> None:
    """Refuse what PostgreSQL refuses: a stream not at its expected version, and two
    appends of one call claiming the same version of a stream (say two appends to one
    new stream, both expecting version 0), which its primary key rejects."""
    claimed: set[tuple[str, int]] = set()
    for append in appends:
        actual = len(streams.get(append.stream_id, ()))
        if actual != append.expected_version:
            raise ConcurrencyConflict(append.stream_id, append.expected_version, actual)
        for offset in range(1, len(append.events) + 1):
            version = (append.stream_id, append.expected_version + offset)
            if version in claimed:
                raise ConcurrencyConflict(
                    append.stream_id, append.expected_version, None
                )
            claimed.add(version)
