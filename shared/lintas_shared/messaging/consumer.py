"""Idempotent Kafka consumer: apply, record ids and checkpoint in one transaction, then commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.structs import ConsumerRecord
from pydantic import ValidationError

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.registry import EventRegistry, UnknownEventType
from lintas_shared.envelope import CloudEvent, EnvelopeError
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options
from lintas_shared.messaging import inbox
from lintas_shared.messaging.deadletter import dead_letter
from lintas_shared.messaging.producer import KafkaPublisher
from lintas_shared.metrics import (
    BATCH_SECONDS,
    CONSUMED,
    DEAD_LETTERED,
    DUPLICATES,
    LAG,
    RETRIES,
)

log = structlog.get_logger(__name__)

# Outages of PostgreSQL or Kafka are not the message's fault: wait them out, never
# dead-letter because of them.
TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    KafkaError,
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A parsed event with where it came from."""

    event: CloudEvent
    payload: IntegrationEvent
    topic: str
    partition: int
    offset: int
    record: ConsumerRecord = field(repr=False, compare=False)


Handler = Callable[[asyncpg.Connection, list[Delivery]], Awaitable[None]]


def parse_records(
    records: Iterable[ConsumerRecord], registry: EventRegistry
) -> tuple[list[Delivery], list[tuple[ConsumerRecord, str]]]:
    """Envelope and contract validation of each record: deliveries, and (record, reason)
    for the invalid ones. The live consumer dead-letters those; a replay skips them."""
    deliveries: list[Delivery] = []
    invalid: list[tuple[ConsumerRecord, str]] = []
    parse = registry.parse_kafka
    for record in records:
        try:
            event, payload = parse(record.value, record.headers)
        except (EnvelopeError, UnknownEventType) as exc:
            invalid.append((record, f"invalid envelope: {exc}"))
            continue
        except ValidationError as exc:
            invalid.append((record, f"invalid payload: {_summarise(exc)}"))
            continue
        deliveries.append(
            Delivery(
                event, payload, record.topic, record.partition, record.offset, record
            )
        )
    return deliveries, invalid


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a failing message is retried before it is dead-lettered."""

    attempts: int = 4
    initial_backoff: float = 0.2
    multiplier: float = 3.0
    max_backoff: float = 10.0

    def backoff(self, attempt: int) -> float:
        return min(
            self.initial_backoff * self.multiplier ** (attempt - 1), self.max_backoff
        )


class EventConsumer:
    """Consumes event topics into the consumer's own PostgreSQL database, effectively once.

    The checkpoint in PostgreSQL is the truth: partitions are positioned from it when
    assigned, and Kafka's committed offset (committed after each batch) is only a hint.
    """

    def __init__(
        self,
        *,
        name: str,
        topics: Sequence[str],
        bootstrap: str,
        pool: asyncpg.Pool,
        handler: Handler,
        registry: EventRegistry,
        publisher: KafkaPublisher,
        retry: RetryPolicy | None = None,
        batch_size: int = 500,
        group_id: str | None = None,
        poll_timeout_ms: int = 200,
        security: KafkaSecurity | None = None,
    ) -> None:
        self.name = name
        self._topics = list(topics)
        self._bootstrap = bootstrap
        self._pool = pool
        self._handler = handler
        self._registry = registry
        self._publisher = publisher
        self._retry = retry or RetryPolicy()
        self._batch_size = batch_size
        self._group_id = group_id or name
        self._poll_timeout_ms = poll_timeout_ms
        self._security = security
        self._stopping = asyncio.Event()
        self._lag: dict[tuple[str, int], int] = {}
        self._last_position: dict[tuple[str, int], int] = {}
        self.running = False

    def lag(self) -> dict[tuple[str, int], int]:
        """Messages behind the high watermark per (topic, partition), as last seen."""
        return dict(self._lag)

    async def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Consume until stopped or cancelled; reconnects after outages."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                await self._consume()
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.running = False
                log.warning("consumer_restarting", consumer=self.name, error=repr(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self._group_id,
            client_id=f"lintas-{self.name}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_records=self._batch_size,
            max_partition_fetch_bytes=4 * 1024 * 1024,
            **aiokafka_options(self._security),
        )
        consumer.subscribe(self._topics, listener=_SeekToCheckpoint(self, consumer))
        await consumer.start()
        self.running = True
        try:
            while not self._stopping.is_set():
                batches = await consumer.getmany(
                    timeout_ms=self._poll_timeout_ms, max_records=self._batch_size
                )
                done: dict[TopicPartition, int] = {}
                for tp, records in batches.items():
                    if records:
                        await self._apply_partition(tp, records)
                        done[tp] = records[-1].offset + 1
                self._update_lag(consumer, done)
                if done:
                    try:
                        await consumer.commit(done)
                    except CommitFailedError as exc:
                        # A rebalance took the partition; the PostgreSQL checkpoint
                        # keeps the truth, so the next owner resumes correctly.
                        log.info("commit_skipped", consumer=self.name, error=repr(exc))
        finally:
            self.running = False
            await consumer.stop()

    async def _apply_partition(
        self, tp: TopicPartition, records: list[ConsumerRecord]
    ) -> None:
        started = asyncio.get_running_loop().time()
        deliveries, invalid = self._parse(records)
        if invalid:
            await self._dead_letter(invalid, attempts=1)
        next_offset = records[-1].offset + 1
        try:
            await self._transact(deliveries, tp, next_offset)
        except TRANSIENT:
            raise
        except Exception as exc:
            log.warning(
                "batch_failed_retrying_singly", consumer=self.name, error=repr(exc)
            )
            await self._apply_singly(tp, deliveries)
            async with self._pool.acquire() as conn:
                await inbox.save_checkpoint(
                    conn, self.name, tp.topic, tp.partition, next_offset
                )
        BATCH_SECONDS.labels(self.name).observe(
            asyncio.get_running_loop().time() - started
        )

    async def _apply_singly(
        self, tp: TopicPartition, deliveries: list[Delivery]
    ) -> None:
        for delivery in deliveries:
            error: Exception | None = None
            for attempt in range(1, self._retry.attempts + 1):
                try:
                    await self._transact([delivery], tp, delivery.offset + 1)
                    error = None
                    break
                except TRANSIENT:
                    raise
                except Exception as exc:
                    error = exc
                    RETRIES.labels(self.name, tp.topic).inc()
                    if attempt < self._retry.attempts:
                        await asyncio.sleep(self._retry.backoff(attempt))
            if error is not None:
                reason = f"handler failed: {type(error).__name__}: {error}"
                await self._dead_letter(
                    [(delivery.record, reason)], self._retry.attempts
                )
                async with self._pool.acquire() as conn:
                    await inbox.save_checkpoint(
                        conn, self.name, tp.topic, tp.partition, delivery.offset + 1
                    )

    async def _transact(
        self, deliveries: list[Delivery], tp: TopicPartition, next_offset: int
    ) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            fresh_ids = await inbox.claim(
                conn, self.name, [d.event.id for d in deliveries]
            )
            fresh: list[Delivery] = []
            for delivery in deliveries:
                if delivery.event.id in fresh_ids:
                    fresh.append(delivery)
                    fresh_ids.discard(
                        delivery.event.id
                    )  # a duplicate in the same batch
            if fresh:
                await self._handler(conn, fresh)
            await inbox.save_checkpoint(
                conn, self.name, tp.topic, tp.partition, next_offset
            )
        CONSUMED.labels(self.name, tp.topic).inc(len(fresh))
        if len(deliveries) > len(fresh):
            DUPLICATES.labels(self.name, tp.topic).inc(len(deliveries) - len(fresh))

    def _parse(
        self, records: list[ConsumerRecord]
    ) -> tuple[list[Delivery], list[tuple[ConsumerRecord, str]]]:
        return parse_records(records, self._registry)

    async def _dead_letter(
        self, failed: list[tuple[ConsumerRecord, str]], attempts: int
    ) -> None:
        messages = [
            dead_letter(record, consumer=self.name, reason=reason, attempts=attempts)
            for record, reason in failed
        ]
        await self._publisher.publish(messages)
        for record, reason in failed:
            DEAD_LETTERED.labels(self.name, record.topic).inc()
            log.error(
                "dead_lettered",
                consumer=self.name,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                reason=reason,
            )

    def _update_lag(
        self, consumer: AIOKafkaConsumer, done: dict[TopicPartition, int]
    ) -> None:
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            position = done.get(tp)
            if high is None:
                continue
            if position is None:
                position = self._last_position.get((tp.topic, tp.partition), high)
            lag = max(high - position, 0)
            self._lag[(tp.topic, tp.partition)] = lag
            LAG.labels(self.name, tp.topic, str(tp.partition)).set(lag)
        for tp, position in done.items():
            self._last_position[(tp.topic, tp.partition)] = position


class _SeekToCheckpoint(ConsumerRebalanceListener):
    """Positions newly assigned partitions at the checkpoint stored in PostgreSQL."""

    def __init__(self, owner: EventConsumer, consumer: AIOKafkaConsumer) -> None:
        self._owner = owner
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        checkpoints = await inbox.load_checkpoints(self._owner._pool, self._owner.name)
        for tp in assigned:
            offset = checkpoints.get((tp.topic, tp.partition))
            if offset is not None:
                self._consumer.seek(tp, offset)


def _summarise(exc: ValidationError) -> str:
    parts = [
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
        for err in exc.errors()[:5]
    ]
    return "; ".join(parts)
