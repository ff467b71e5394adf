"""Outbox relay: publishes committed outbox rows to Kafka in order, one leader per service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta

import asyncpg
import structlog

from lintas_shared.envelope import CloudEvent, EventMetadata
from lintas_shared.eventstore.postgres import OUTBOX_CHANNEL
from lintas_shared.messaging.producer import KafkaPublisher, OutgoingMessage
from lintas_shared.metrics import (
    RELAY_BACKLOG,
    RELAY_FAILURES,
    RELAY_LEADER,
    RELAY_PUBLISHED,
)

log = structlog.get_logger(__name__)

# Reads rows still unpublished rather than "after the last position": a transaction that
# took a lower id but committed later is still found on the next pass, never skipped.
# The body goes out as PostgreSQL prints the stored jsonb: decoding it into Python and
# encoding it again would cost the relay most of its time for nothing.
_PENDING = """
SELECT o.id AS outbox_id, o.topic, o.message_key, e.event_id, e.stream_id, e.version,
       e.type, e.data::text AS body, e.metadata, e.recorded_at
FROM outbox o JOIN events e USING (event_id)
WHERE o.published_at IS NULL
ORDER BY o.id
LIMIT $1
"""


class OutboxRelay:
    """Moves outbox rows to Kafka. Only the holder of the service's advisory lock publishes.

    Per-stream order holds because a stream's next version can only be appended after the
    previous one committed, so its outbox id is larger, and a batch is marked published
    only after Kafka acknowledged all of it.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        publisher: KafkaPublisher,
        *,
        source: str,
        lock_key: str,
        batch_size: int = 500,
        idle_interval: float = 1.0,
        max_backoff: float = 10.0,
        keep_published: timedelta = timedelta(days=7),
    ) -> None:
        self._pool = pool
        self._publisher = publisher
        self._source = source
        self._lock_key = f"lintas:relay:{lock_key}"
        self._label = lock_key
        self._batch_size = batch_size
        self._idle_interval = idle_interval
        self._max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._keep_published = keep_published
        self._next_prune = 0.0
        self.is_leader = False

    async def run(self) -> None:
        """Relay until cancelled; survives Kafka and PostgreSQL outages by retrying."""
        backoff = 0.2
        while True:
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                RELAY_FAILURES.labels(self._label).inc()
                log.warning(
                    "relay_retrying", service=self._label, error=repr(exc), wait=backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
            else:
                backoff = 0.2

    async def publish_pending(self) -> int:
        """One pass: publish up to ``batch_size`` unpublished rows, return how many."""
        rows = await self._pool.fetch(_PENDING, self._batch_size)
        RELAY_BACKLOG.labels(self._label).set(len(rows))
        if not rows:
            return 0
        messages = [self._message(row) for row in rows]
        await self._publisher.publish(messages)
        await self._pool.execute(
            "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
            [row["outbox_id"] for row in rows],
        )
        RELAY_PUBLISHED.labels(self._label).inc(len(rows))
        return len(rows)

    async def _lead(self) -> None:
        conn: asyncpg.Connection = await self._pool.acquire()
        try:
            # Standby replicas poll the lock; there is nothing to be notified by.
            while not await conn.fetchval(  # noqa: ASYNC110
                "SELECT pg_try_advisory_lock(hashtext($1))", self._lock_key
            ):
                await asyncio.sleep(self._idle_interval)
            self._set_leader(True)
            log.info("relay_leading", service=self._label)
            await conn.add_listener(OUTBOX_CHANNEL, self._notified)
            try:
                await self._pump(conn)
            finally:
                with contextlib.suppress(Exception):
                    await conn.remove_listener(OUTBOX_CHANNEL, self._notified)
        finally:
            self._set_leader(False)
            # asyncpg resets a released connection (pg_advisory_unlock_all), which frees
            # the lock for a standby replica.
            await self._pool.release(conn, timeout=5)

    async def prune(self) -> int:
        """Delete outbox rows published longer ago than ``keep_published``.

        The events stay in the event store; the outbox is only the publication queue, and
        without pruning it would grow with every event ever written.
        """
        status = await self._pool.execute(
            "DELETE FROM outbox WHERE published_at < now() - $1::interval",
            self._keep_published,
        )
        return int(status.split()[-1])

    async def _pump(self, conn: asyncpg.Connection) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            if loop.time() >= self._next_prune:
                self._next_prune = loop.time() + 300
                await self.prune()
            published = await self.publish_pending()
            if published >= self._batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_interval)
            # Cheap liveness check of the lock-holding session.
            await conn.fetchval("SELECT 1")

    def _notified(self, *_: object) -> None:
        self._wake.set()

    def _set_leader(self, leading: bool) -> None:
        self.is_leader = leading
        RELAY_LEADER.labels(self._label).set(1 if leading else 0)

    def _message(self, row: asyncpg.Record) -> OutgoingMessage:
        event = CloudEvent(
            id=row["event_id"],
            source=self._source,
            type=row["type"],
            subject=row["stream_id"],
            time=row["recorded_at"],
            stream_version=row["version"],
            metadata=EventMetadata.from_dict(row["metadata"]),
            data={},  # not used: the stored body is sent as it is
        )
        return OutgoingMessage(
            topic=row["topic"],
            key=row["message_key"].encode(),
            value=row["body"].encode(),
            headers=event.kafka_headers(),
        )


async def publish_all(relay: OutboxRelay) -> int:
    """Drain the outbox once (tests and the benchmark)."""
    total = 0
    while True:
        n = await relay.publish_pending()
        total += n
        if n == 0:
            return total


__all__: Sequence[str] = ("OutboxRelay", "publish_all")
