"""Event store port and its PostgreSQL and in-memory implementations."""

from lintas_shared.eventstore.memory import InMemoryEventStore
from lintas_shared.eventstore.ports import (
    ConcurrencyConflict,
    DuplicateIdempotencyKey,
    EventStore,
    IdempotencyKeyReused,
    IdempotencyRecord,
    NewEvent,
    RecordedEvent,
    StreamAppend,
)
from lintas_shared.eventstore.postgres import PostgresEventStore

__all__ = [
    "ConcurrencyConflict",
    "DuplicateIdempotencyKey",
    "EventStore",
    "IdempotencyKeyReused",
    "IdempotencyRecord",
    "InMemoryEventStore",
    "NewEvent",
    "PostgresEventStore",
    "RecordedEvent",
    "StreamAppend",
]
