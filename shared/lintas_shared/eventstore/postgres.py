"""PostgreSQL event store: optimistic concurrency by primary key, outbox rows in the same tx."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
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

# One round trip for a whole append: every stream's version check, the idempotency key
# (when given), the events, their outbox rows and the relay's wake-up. Nothing is inserted
# unless every stream is at its expected version and the key was free; a concurrent writer
# that inserted one of the same versions first makes the primary key fail. Events and
# outbox rows are inserted in the order given, so outbox ids (the relay's order) follow
# each stream's order. pg_notify is delivered at commit only, so the relay wakes for
# committed work. Kept lean on purpose: each extra CTE costs the server time on every
# append (a more general form cost about 60 µs more per single-event append).
_APPEND = """
WITH streams AS (
    SELECT coalesce(bool_and(
               coalesce((SELECT max(e.version) FROM events e
                         WHERE e.stream_id = s.stream_id), 0) = s.expected), true) AS ok
    FROM unnest($1::text[], $2::int[]) AS s(stream_id, expected)
){claim}, go AS (
    SELECT ok{and_claimed} AS ok FROM streams
), inserted AS (
    INSERT INTO events (event_id, stream_id, version, type, data, metadata)
    SELECT e.event_id, e.stream_id, e.version, e.type, e.data::jsonb, $3::jsonb
    FROM unnest($4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[])
         WITH ORDINALITY AS e(event_id, stream_id, version, type, data, ord)
    WHERE (SELECT ok FROM go)
    ORDER BY e.ord
    RETURNING recorded_at
), queued AS (
    INSERT INTO outbox (event_id, topic, message_key)
    SELECT t.event_id, t.topic, t.stream_id
    FROM unnest($4::uuid[], $9::text[], $5::text[]) WITH ORDINALITY
         AS t(event_id, topic, stream_id, ord)
    WHERE t.topic IS NOT NULL AND (SELECT ok FROM go)
    ORDER BY t.ord
    RETURNING 1
)
SELECT (SELECT ok FROM go) AS ok, {claimed} AS claimed,
       (SELECT max(recorded_at) FROM inserted) AS recorded_at,
       (SELECT count(*) FROM (SELECT pg_notify($10::text, '')
                              FROM (SELECT FROM queued LIMIT 1) AS q) AS n) AS notified
"""
_APPEND_WITH_KEY = _APPEND.format(
    claim=""", claimed AS (
    INSERT INTO idempotency_keys (key, request_hash, response)
    VALUES ($11::text, $12::text, $13::jsonb)
    ON CONFLICT (key) DO NOTHING
    RETURNING key
)""",
    and_claimed=" AND EXISTS (SELECT FROM claimed)",
    claimed="EXISTS (SELECT FROM claimed)",
)
_APPEND_WITHOUT_KEY = _APPEND.format(claim="", and_claimed="", claimed="true")

# Only after a refused append: where each stream really is.
_VERSIONS = """
SELECT coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = s.stream_id), 0)
FROM unnest($1::text[]) WITH ORDINALITY AS s(stream_id, ord) ORDER BY s.ord
"""

_READ_STREAMS = """
SELECT e.event_id, e.stream_id, e.version, e.type, e.data, e.metadata, e.recorded_at
FROM unnest($1::text[], $2::int[]) AS s(stream_id, after)
JOIN events e ON e.stream_id = s.stream_id AND e.version > s.after
ORDER BY e.stream_id, e.version
"""

_KEY = "SELECT key, request_hash, response FROM idempotency_keys WHERE key = $1"

# "Key (stream_id, version)=(package-..., 7) already exists."
_DUPLICATE_VERSION = re.compile(r"\(stream_id, version\)=\((.*), (\d+)\)")

# The connection of the command session running in this task (see ``session``).
_SESSION: ContextVar[tuple[asyncpg.Pool, asyncpg.Connection] | None] = ContextVar(
    "lintas_eventstore_session", default=None
)


@asynccontextmanager
async def session_connection(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """The current command session's connection if it is from ``pool``, else one
    acquired for the block. Service adapters that read during a command (directories)
    use it, so a command costs one connection and one reset, not one per query."""
    current = _SESSION.get()
    if current is not None and current[0] is pool:
        yield current[1]
        return
    async with pool.acquire() as conn:
        yield conn


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

    @asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        """Pin one pool connection to this task until the block ends (see the port)."""
        current = _SESSION.get()
        if current is not None and current[0] is self._pool:
            yield
            return
        async with self._pool.acquire() as conn:
            token = _SESSION.set((self._pool, conn))
            try:
                yield
            finally:
                _SESSION.reset(token)

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]:
        return (await self.read_streams([stream_id]))[stream_id]

    async def read_streams(
        self, stream_ids: Sequence[str], after: Mapping[str, int] | None = None
    ) -> dict[str, list[RecordedEvent]]:
        found: dict[str, list[RecordedEvent]] = {sid: [] for sid in stream_ids}
        known = after or {}
        async with session_connection(self._pool) as conn:
            rows = await conn.fetch(
                _READ_STREAMS, list(found), [known.get(sid, 0) for sid in found]
            )
        for row in rows:
            found[row["stream_id"]].append(row_to_event(row))
        return found

    async def read_by_type(self, types: Sequence[str]) -> list[RecordedEvent]:
        async with session_connection(self._pool) as conn:
            rows = await conn.fetch(
                "SELECT * FROM events WHERE type = ANY($1::text[]) ORDER BY position",
                list(types),
            )
        return [row_to_event(row) for row in rows]

    async def idempotent_response(self, key: str) -> IdempotencyRecord | None:
        async with session_connection(self._pool) as conn:
            row = await conn.fetchrow(_KEY, key)
        return IdempotencyRecord(**dict(row)) if row else None

    async def append(
        self,
        appends: Sequence[StreamAppend],
        metadata: EventMetadata,
        idempotency: IdempotencyRecord | None = None,
    ) -> list[RecordedEvent]:
        async with session_connection(self._pool) as conn, conn.transaction():
            recorded = await self._append(conn, appends, metadata, idempotency)
            for project in self._projections:
                await project(conn, recorded)
            return recorded

    async def _append(
        self,
        conn: asyncpg.Connection,
        appends: Sequence[StreamAppend],
        metadata: EventMetadata,
        idempotency: IdempotencyRecord | None,
    ) -> list[RecordedEvent]:
        # One entry per event, in the order given: (its append, its version, the event).
        flat = [
            (append, append.expected_version + offset, event)
            for append in appends
            for offset, event in enumerate(append.events, 1)
        ]
        streams = [a.stream_id for a in appends]
        args: list[Any] = [
            streams,
            [a.expected_version for a in appends],
            metadata.to_dict(),
            [e.event_id for _, _, e in flat],
            [a.stream_id for a, _, _ in flat],
            [version for _, version, _ in flat],
            [e.type for _, _, e in flat],
            [_dumps(e.data) for _, _, e in flat],
            [e.topic for _, _, e in flat],
            OUTBOX_CHANNEL,
        ]
        if idempotency is not None:
            args += [idempotency.key, idempotency.request_hash, idempotency.response]
        statement = _APPEND_WITH_KEY if idempotency else _APPEND_WITHOUT_KEY
        try:
            row = await conn.fetchrow(statement, *args)
        except asyncpg.UniqueViolationError as exc:
            # A concurrent writer took one of the versions between our check and insert.
            # The whole transaction is rolled back; the caller reloads and retries.
            raise _conflict_from(exc, appends) from exc
        assert row is not None
        if idempotency is not None and not row["claimed"]:
            earlier = await conn.fetchrow(_KEY, idempotency.key)
            raise DuplicateIdempotencyKey(IdempotencyRecord(**dict(earlier)))
        if not row["ok"]:
            actual = [r[0] for r in await conn.fetch(_VERSIONS, streams)]
            for append, version in zip(appends, actual, strict=True):
                if version != append.expected_version:
                    raise ConcurrencyConflict(
                        append.stream_id, append.expected_version, version
                    )
            # The same stream twice in one append: its second expected version is stale.
            raise ConcurrencyConflict(
                appends[-1].stream_id, appends[-1].expected_version, None
            )
        # Every row took the column default now(), the transaction's start time.
        return [
            RecordedEvent(
                event_id=event.event_id,
                stream_id=append.stream_id,
                version=version,
                type=event.type,
                data=event.data,
                metadata=metadata,
                recorded_at=row["recorded_at"],
            )
            for append, version, event in flat
        ]


def _conflict_from(
    exc: asyncpg.UniqueViolationError, appends: Sequence[StreamAppend]
) -> ConcurrencyConflict:
    """Name the stream whose version was taken (from the violation's detail if it says)."""
    match = _DUPLICATE_VERSION.search(getattr(exc, "detail", None) or "")
    taken = [a for a in appends if match and a.stream_id == match.group(1)]
    append = (taken or list(appends))[0]
    return ConcurrencyConflict(append.stream_id, append.expected_version, None)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), default=str)
