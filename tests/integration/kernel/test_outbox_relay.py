"""Outbox relay against real PostgreSQL and Kafka: late commits, outages, leadership."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from lintas_shared.envelope import CloudEvent, EventMetadata
from lintas_shared.eventstore import (
    NewEvent,
    PostgresEventStore,
    RecordedEvent,
    StreamAppend,
)
from lintas_shared.messaging import KafkaPublisher, OutboxRelay
from lintas_shared.messaging.relay import publish_all
from tests.integration.kernel.conftest import read_topic
from tests.support.kafka_login import admin_security

pytestmark = pytest.mark.integration

META = EventMetadata("KEMNAKER", "BPVP-PADANG")


def _event(topic: str, i: int) -> NewEvent:
    return NewEvent("lintas.Thing.v1", {"i": i}, topic=topic)


async def test_a_transaction_that_commits_late_is_still_published(
    kernel_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    held = asyncio.Event()
    release = asyncio.Event()

    async def hold_open(conn: asyncpg.Connection, events: list[RecordedEvent]) -> None:
        # Runs inside the append's transaction, after its outbox row took an id.
        held.set()
        await release.wait()

    slow = PostgresEventStore(kernel_pool, projections=[hold_open])
    fast = PostgresEventStore(kernel_pool)
    publisher = KafkaPublisher(kafka_bootstrap, "test-relay", security=admin_security())
    relay = OutboxRelay(kernel_pool, publisher, source="lintas/test", lock_key="t1")
    early, late = f"early-{uuid.uuid4()}", f"late-{uuid.uuid4()}"

    slow_append = asyncio.create_task(
        slow.append([StreamAppend(early, 0, [_event(topic, 1)])], META)
    )
    await held.wait()
    await fast.append([StreamAppend(late, 0, [_event(topic, 2)])], META)
    ids = await kernel_pool.fetch("SELECT id FROM outbox ORDER BY id")
    assert len(ids) == 1  # only the committed one is visible

    assert await publish_all(relay) == 1
    release.set()
    await slow_append
    assert await publish_all(relay) == 1

    records = await read_topic(kafka_bootstrap, topic, expected=2)
    subjects = sorted(
        CloudEvent.from_kafka(r.value, r.headers).subject for r in records
    )
    assert subjects == sorted([early, late])
    await publisher.close()


async def test_publishes_each_stream_in_version_order_keyed_by_stream(
    kernel_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    store = PostgresEventStore(kernel_pool)
    streams = [f"s{n}-{uuid.uuid4()}" for n in range(5)]
    for version in range(10):
        for stream in streams:
            await store.append(
                [StreamAppend(stream, version, [_event(topic, version)])], META
            )
    publisher = KafkaPublisher(kafka_bootstrap, "test-relay", security=admin_security())
    relay = OutboxRelay(
        kernel_pool, publisher, source="lintas/test", lock_key="t2", batch_size=7
    )
    assert await publish_all(relay) == 50
    records = await read_topic(kafka_bootstrap, topic, expected=50)
    assert len(records) == 50
    by_stream: dict[str, list[tuple[int, int]]] = {}
    for record in records:
        event = CloudEvent.from_kafka(record.value, record.headers)
        assert record.key == event.subject.encode()
        assert event.data == {"i": event.stream_version - 1}  # the stored body, intact
        by_stream.setdefault(event.subject, []).append(
            (record.partition, event.stream_version)
        )
    for stream, seen in by_stream.items():
        assert len({p for p, _ in seen}) == 1, f"{stream} spread over partitions"
        assert [v for _, v in seen] == list(range(1, 11))
    await publisher.close()


async def test_only_one_relay_leads_at_a_time(
    kernel_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    publisher = KafkaPublisher(kafka_bootstrap, "test-relay", security=admin_security())
    relays = [
        OutboxRelay(
            kernel_pool,
            publisher,
            source="lintas/test",
            lock_key="t3",
            idle_interval=0.1,
        )
        for _ in range(3)
    ]
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        for _ in range(50):
            if any(r.is_leader for r in relays):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        assert sum(r.is_leader for r in relays) == 1
        leader = next(i for i, r in enumerate(relays) if r.is_leader)
        tasks[leader].cancel()
        await asyncio.gather(tasks[leader], return_exceptions=True)
        for _ in range(50):
            if sum(r.is_leader for i, r in enumerate(relays) if i != leader) == 1:
                break
            await asyncio.sleep(0.1)
        assert sum(r.is_leader for i, r in enumerate(relays) if i != leader) == 1
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await publisher.close()


async def test_pruning_removes_only_rows_published_long_ago(
    kernel_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    store = PostgresEventStore(kernel_pool)
    for i in range(3):
        await store.append(
            [StreamAppend(f"p-{uuid.uuid4()}", 0, [_event(topic, i)])], META
        )
    publisher = KafkaPublisher(kafka_bootstrap, "test-relay", security=admin_security())
    relay = OutboxRelay(kernel_pool, publisher, source="lintas/test", lock_key="t4")
    assert await publish_all(relay) == 3
    await store.append([StreamAppend(f"p-{uuid.uuid4()}", 0, [_event(topic, 9)])], META)
    await kernel_pool.execute(
        "UPDATE outbox SET published_at = now() - interval '8 days' "
        "WHERE id = (SELECT min(id) FROM outbox)"
    )
    assert await relay.prune() == 1
    assert await kernel_pool.fetchval("SELECT count(*) FROM outbox") == 3
    assert await kernel_pool.fetchval("SELECT count(*) FROM events") == 4
    assert await publish_all(relay) == 1  # the unpublished row was kept and goes out
    await publisher.close()
