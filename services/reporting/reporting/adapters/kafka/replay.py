"""Bounded replay of the event topics: manual assignment, no consumer group, no commits.

A rebuild must read every partition from its beginning up to offsets it chooses, without
disturbing (or being disturbed by) the live projector's group, so it assigns partitions
itself and keeps its position in PostgreSQL next to the generation it fills.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from lintas_shared.contracts.registry import EventRegistry
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options
from lintas_shared.messaging import Delivery
from lintas_shared.messaging.consumer import parse_records
from reporting.application.ports import Position, ReplayBatch, Unreadable


def parse(
    records: Sequence[ConsumerRecord], registry: EventRegistry
) -> tuple[list[Delivery], list[Unreadable]]:
    """Envelope and contract validation by the live consumer's own function."""
    good, invalid = parse_records(records, registry)
    bad = [
        Unreadable(r.topic, r.partition, r.offset, reason[:300])
        for r, reason in invalid
    ]
    return good, bad


async def parse_yielding(
    records: Sequence[ConsumerRecord], registry: EventRegistry, slice_size: int = 50
) -> tuple[list[Delivery], list[Unreadable]]:
    """``parse``, handing the event loop back every ``slice_size`` records.

    Parsing a batch is over 100 ms of CPU. Without these pauses the write of the previous
    batch (a dozen statements, each awaiting PostgreSQL) and the Kafka fetch in flight
    could only move on after it, so writes and parsing took turns instead of overlapping
    (measured on 300k events: 8.6 s waiting for writes; 0.9 s with 50-record slices,
    which cost about one event-loop pass, a few microseconds, each).
    """
    good: list[Delivery] = []
    bad: list[Unreadable] = []
    for start in range(0, len(records), slice_size):
        parsed, refused = parse(records[start : start + slice_size], registry)
        good += parsed
        bad += refused
        await asyncio.sleep(0)
    return good, bad


class Replayer:
    """The event-log port: assigned partitions read from set positions up to targets."""

    def __init__(
        self,
        bootstrap: str,
        topics: Sequence[str],
        batch_size: int,
        registry: EventRegistry,
        security: KafkaSecurity | None = None,
    ) -> None:
        self._registry = registry
        self._security = security
        self._topics = list(topics)
        self._bootstrap = bootstrap
        self._batch_size = batch_size
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            client_id="lintas-reporting-rebuild",
            enable_auto_commit=False,
            isolation_level="read_committed",
            max_poll_records=batch_size,
            # Bounded fetch buffers keep the rebuild's memory small on large topics.
            fetch_max_bytes=16 * 1024 * 1024,
            max_partition_fetch_bytes=2 * 1024 * 1024,
            **aiokafka_options(security),
        )
        self._partitions: list[TopicPartition] = []

    async def start(self) -> None:
        self._partitions = await _partitions(
            self._bootstrap, self._topics, self._security
        )
        await self._consumer.start()
        self._consumer.assign(self._partitions)

    async def stop(self) -> None:
        await self._consumer.stop()

    async def beginnings(self) -> dict[Position, int]:
        found = await self._consumer.beginning_offsets(self._partitions)
        return {(tp.topic, tp.partition): off for tp, off in found.items()}

    async def ends(self) -> dict[Position, int]:
        found = await self._consumer.end_offsets(self._partitions)
        return {(tp.topic, tp.partition): off for tp, off in found.items()}

    def seek(self, positions: Mapping[Position, int]) -> None:
        for tp in self._partitions:
            self._consumer.seek(tp, positions.get((tp.topic, tp.partition), 0))

    async def read(self, targets: Mapping[Position, int]) -> AsyncIterator[ReplayBatch]:
        """Parsed batches below ``targets``, read ahead while the caller writes.

        The parse yields to the event loop often, so the caller's write of the previous
        batch and the next Kafka fetch both progress during it.
        """
        async for records in prefetched(self._records(targets)):
            deliveries, bad = await parse_yielding(records, self._registry)
            reached: dict[Position, int] = {}
            for r in records:
                key = (r.topic, r.partition)
                reached[key] = max(reached.get(key, 0), r.offset + 1)
            yield ReplayBatch(deliveries, bad, reached)

    async def _records(
        self, targets: Mapping[Position, int]
    ) -> AsyncIterator[list[ConsumerRecord]]:
        """Batches of records below ``targets``; ends when every partition reached it."""
        consumer = self._consumer
        pending = {
            tp
            for tp in self._partitions
            if await consumer.position(tp) < targets.get((tp.topic, tp.partition), 0)
        }
        consumer.pause(*(set(self._partitions) - pending))
        consumer.resume(*pending)
        while pending:
            fetched = await consumer.getmany(
                *pending, timeout_ms=500, max_records=self._batch_size
            )
            batch: list[ConsumerRecord] = []
            for tp, records in fetched.items():
                limit = targets[(tp.topic, tp.partition)]
                batch.extend(r for r in records if r.offset < limit)
            for tp in list(pending):
                # position, not the last offset: control records and gaps count too
                if await consumer.position(tp) >= targets[(tp.topic, tp.partition)]:
                    pending.discard(tp)
                    consumer.pause(tp)
            if batch:
                yield batch


async def prefetched(
    source: AsyncIterator[list[ConsumerRecord]], depth: int = 2
) -> AsyncIterator[list[ConsumerRecord]]:
    """Keep reading ahead while the caller parses and writes.

    aiokafka fetches a partition again only once its buffer is drained; draining into a
    small queue keeps a fetch in flight during the CPU-bound work instead of after it.
    """
    queue: asyncio.Queue[list[ConsumerRecord] | None] = asyncio.Queue(maxsize=depth)

    async def pump() -> None:
        try:
            async for batch in source:
                await queue.put(batch)
        finally:
            await queue.put(None)

    task = asyncio.create_task(pump())
    try:
        while (batch := await queue.get()) is not None:
            yield batch
        await task  # re-raises a failure of the reader
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _partitions(
    bootstrap: str, topics: Sequence[str], security: KafkaSecurity | None
) -> list[TopicPartition]:
    """Every partition of the topics, from the brokers (the consumer's cache may be empty)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, **aiokafka_options(security)
    )
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    found = []
    for topic in described:
        if topic["error_code"] != 0 or not topic["partitions"]:
            raise RuntimeError(
                f"cannot replay {topic['topic']}: error {topic['error_code']}"
            )
        for partition in topic["partitions"]:
            found.append(TopicPartition(topic["topic"], partition["partition"]))
    return sorted(found)
