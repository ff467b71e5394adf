"""PostgreSQL event store: optimistic concurrency by primary key, outbox rows in the same tx."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore.ports import (
    ConcurrencyConflict,
    DuplicateIdempotencyKey,
    IdempotencyRecord,
    RecordedEvent,
    StreamAppend,
)

OUTBOX_CHANNEL = "lintas_outbox"

InlineProjection = Callable[[asyncpg.Connection, list[RecordedEvent]], Awaitable[None]]

# One round trip per stream: the version check, the events and their outbox rows. The
# WHERE makes a stale expected version insert nothing; a concurrent writer that inserted
# the same version first makes the primary key fail. Outbox rows are inserted in version
# order, so their ids (the relay's order) follow the stream's order.
_APPEND_STREAM = """
WITH current AS (
    SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1
), inserted AS (
    INSERT INTO events (event_id, stream_id, version, type, data, metadata)
    SELECT e.event_id, $1, $2 + e.ord, e.type, e.data::jsonb, $3::jsonb
    FROM unnest($4::uuid[], $5::text[], $6::text[]) WITH ORDINALITY
         AS e(event_id, type, data, ord)
    WHERE (SELECT version FROM current) = $2
    RETURNING event_id, version, recorded_at
), queued AS (
    INSERT INTO outbox (event_id, topic, message_key)
    SELECT i.event_id, t.topic, $1
    FROM inserted i JOIN unnest($4::uuid[], $7::text[]) AS t(event_id, topic) USING (event_id)
    WHERE t.topic IS NOT NULL
    ORDER BY i.version
)
SELECT event_id, version, recorded_at FROM inserted
"""


def row_to_event(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        version=row["version"],
        type=row["type"],
        data=row["data"],
        metadata=EventMetadata.from_dict(row["metadata"]),
        recorded_at=row["recorded_at"],
    )


class PostgresEventStore:
    """Event store on the service's own database (connections from ``db.create_pool``)."""

    def __init__(
        self, pool: asyncpg.Pool, projections: Sequence[InlineProjection] = ()
    ) -> None:
        self._pool = pool
        # Inline projections update the service's own query tables in the append's
        # transaction, so a query never sees an event without its effect.
        self._projections = tuple(projections)

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]:
        rows = await self._pool.fetch(
            "SELECT * FROM events WHERE stream_id = $1 ORDER BY version", stream_id
        )
        return [row_to_event(row) for row in rows]

    async def read_by_type(self, types: Sequence[str]) -> list[RecordedEvent]:
        rows = await self._pool.fetch(
            "SELECT * FROM events WHERE type = ANY($1::text[]) ORDER BY position",
            list(types),
        )
        return [row_to_event(row) for row in rows]

    async def idempotent_response(self, key: str) -> IdempotencyRecord | None:
        row = await self._pool.fetchrow(
            "SELECT key, request_hash, response FROM idempotency_keys WHERE key = $1",
            key,
        )
        return IdempotencyRecord(**dict(row)) if row else None

    async def append(
        self,
        appends: Sequence[StreamAppend],
        metadata: EventMetadata,
        idempotency: IdempotencyRecord | None = None,
    ) -> list[RecordedEvent]:
        async with self._pool.acquire() as conn, conn.transaction():
            if idempotency is not None:
                await self._claim_key(conn, idempotency)
            recorded: list[RecordedEvent] = []
            for append in appends:
                recorded += await self._append_stream(conn, append, metadata)
            if any(e.topic is not None for a in appends for e in a.events):
                # Delivered at commit only, so the relay wakes for committed work.
                await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
            for project in self._projections:
                await project(conn, recorded)
            return recorded

    async def _claim_key(
        self, conn: asyncpg.Connection, record: IdempotencyRecord
    ) -> None:
        # A concurrent holder of the key makes this insert wait for its commit.
        claimed = await conn.fetchval(
            """INSERT INTO idempotency_keys (key, request_hash, response)
               VALUES ($1, $2, $3::jsonb) ON CONFLICT (key) DO NOTHING RETURNING key""",
            record.key,
            record.request_hash,
            record.response,
        )
        if claimed is None:
            row = await conn.fetchrow(
                "SELECT key, request_hash, response FROM idempotency_keys WHERE key = $1",
                record.key,
            )
            raise DuplicateIdempotencyKey(IdempotencyRecord(**dict(row)))

    async def _append_stream(
        self, conn: asyncpg.Connection, append: StreamAppend, metadata: EventMetadata
    ) -> list[RecordedEvent]:
        events = list(append.events)
        try:
            rows = await conn.fetch(
                _APPEND_STREAM,
                append.stream_id,
                append.expected_version,
                metadata.to_dict(),
                [e.event_id for e in events],
                [e.type for e in events],
                [_dumps(e.data) for e in events],
                [e.topic for e in events],
            )
        except asyncpg.UniqueViolationError as exc:
            # A concurrent writer took the same version between our check and insert.
            # The whole transaction is rolled back; the caller reloads and retries.
            raise ConcurrencyConflict(
                append.stream_id, append.expected_version, None
            ) from exc
        if len(rows) != len(events):
            actual = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1",
                append.stream_id,
            )
            raise ConcurrencyConflict(append.stream_id, append.expected_version, actual)
        by_id = {row["event_id"]: row for row in rows}
        return [
            RecordedEvent(
                event_id=e.event_id,
                stream_id=append.stream_id,
                version=by_id[e.event_id]["version"],
                type=e.type,
                data=e.data,
                metadata=metadata,
                recorded_at=by_id[e.event_id]["recorded_at"],
            )
            for e in events
        ]


def _dumps(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, separators=(",", ":"), default=str)
