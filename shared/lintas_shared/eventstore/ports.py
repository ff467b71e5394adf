"""The event-store port: append with an expected version, read streams, idempotency keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

from lintas_shared.envelope import CloudEvent, EventMetadata


class ConcurrencyConflict(Exception):
    """Another writer appended to the stream first; reload and decide again."""

    def __init__(self, stream_id: str, expected: int, actual: int | None) -> None:
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream_id!r}: expected version {expected}, found {actual}"
        )


class IdempotencyKeyReused(Exception):
    """The idempotency key was already used with a different request."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"idempotency key {key!r} was already used for another request"
        )


class DuplicateIdempotencyKey(Exception):
    """A concurrent command with the same key committed first; ``existing`` is its outcome."""

    def __init__(self, existing: IdempotencyRecord) -> None:
        self.existing = existing
        super().__init__(f"idempotency key {existing.key!r} already recorded")


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append. ``topic`` set means it is also published through the outbox."""

    type: str
    data: dict[str, Any]
    topic: str | None = None
    event_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class StreamAppend:
    """Events for one stream, valid only if the stream is at ``expected_version`` (0 = new)."""

    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored: position in its stream and when it was recorded."""

    event_id: UUID
    stream_id: str
    version: int
    type: str
    data: dict[str, Any]
    metadata: EventMetadata
    recorded_at: datetime

    def to_cloudevent(self, source: str) -> CloudEvent:
        return CloudEvent(
            id=self.event_id,
            source=source,
            type=self.type,
            subject=self.stream_id,
            time=self.recorded_at,
            stream_version=self.version,
            metadata=self.metadata,
            data=self.data,
        )


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A command's outcome stored under its idempotency key in the append's transaction."""

    key: str
    request_hash: str
    response: dict[str, Any]


class EventStore(Protocol):
    """Append-only store of event streams with optimistic concurrency."""

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]:
        """All events of a stream in version order; empty if it does not exist."""

    async def read_streams(
        self, stream_ids: Sequence[str], after: Mapping[str, int] | None = None
    ) -> dict[str, list[RecordedEvent]]:
        """Several streams read together (one snapshot): every id named is a key, its
        events in version order, an empty list if the stream does not exist. With
        ``after``, only a stream's events after that version (a caller that kept the
        earlier ones reads just the tail)."""

    def session(self) -> AbstractAsyncContextManager[None]:
        """A scope in which this task's reads, key lookups and appends share one
        database connection (a command's load-decide-append); nesting is a no-op.
        Leaving it releases the connection; it is not a transaction. Other adapters
        reading meanwhile must use the session's connection too (PostgreSQL:
        ``session_connection``): acquiring a second one from a pool full of sessions
        could wait forever."""

    async def append(
        self,
        appends: Sequence[StreamAppend],
        metadata: EventMetadata,
        idempotency: IdempotencyRecord | None = None,
    ) -> list[RecordedEvent]:
        """Append atomically to every stream named, or raise ConcurrencyConflict.

        With ``idempotency`` the outcome is stored in the same transaction; if the key
        exists already nothing is written and DuplicateIdempotencyKey carries the
        earlier outcome.
        """

    async def idempotent_response(self, key: str) -> IdempotencyRecord | None:
        """The stored outcome of an earlier command with this key, if any."""

    async def read_by_type(self, types: Sequence[str]) -> list[RecordedEvent]:
        """Every event of these types in commit order (for local queries and rebuilds)."""
