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

_INSERT_EVENTS = """
INSERT INTO events (event_id, stream_id, version, type, data, metadata)
SELECT e.event_id, $1, e.version, e.type, e.data::jsonb, $2::jsonb
FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[])
     AS e(event_id, version, type, data)
RETURNING event_id, version, recorded_at
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
            await self._write_outbox(conn, appends)
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
        current = await conn.fetchval(
            "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1",
            append.stream_id,
        )
        if current != append.expected_version:
            raise ConcurrencyConflict(
                append.stream_id, append.expected_version, current
            )
        events = list(append.events)
        versions = [append.expected_version + i + 1 for i in range(len(events))]
        try:
            # The savepoint keeps the outer transaction usable for the caller's retry logic.
            async with conn.transaction():
                rows = await conn.fetch(
                    _INSERT_EVENTS,
                    append.stream_id,
                    metadata.to_dict(),
                    [e.event_id for e in events],
                    versions,
                    [e.type for e in events],
                    [_dumps(e.data) for e in events],
                )
        except asyncpg.UniqueViolationError as exc:
            # A concurrent writer took the same version between our check and insert.
            raise ConcurrencyConflict(
                append.stream_id, append.expected_version, None
            ) from exc
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

    async def _write_outbox(
        self, conn: asyncpg.Connection, appends: Sequence[StreamAppend]
    ) -> None:
        rows = [
            (e.event_id, e.topic, a.stream_id)
            for a in appends
            for e in a.events
            if e.topic is not None
        ]
        if not rows:
            return
        await conn.executemany(
            "INSERT INTO outbox (event_id, topic, message_key) VALUES ($1, $2, $3)",
            rows,
        )
        # Delivered at commit only, so the relay wakes for committed work.
        await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")


def _dumps(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, separators=(",", ":"), default=str)
