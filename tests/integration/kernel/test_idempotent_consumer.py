"""Idempotent consumer against real Kafka and PostgreSQL: redelivery and dead letters."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from lintas_shared.messaging import (
    EventConsumer,
    KafkaPublisher,
    OutgoingMessage,
    RetryPolicy,
)
from lintas_shared.topics import DEAD_LETTERS
from tests.integration.kernel.conftest import read_topic
from tests.integration.kernel.counting import (
    COUNTS_TABLE,
    REGISTRY,
    counting_handler,
    ping_message,
    wait_for_count,
)
from tests.support.kafka_login import admin_security

pytestmark = pytest.mark.integration


@pytest.fixture
async def counting_pool(kernel_pool: asyncpg.Pool) -> asyncpg.Pool:
    await kernel_pool.execute(COUNTS_TABLE)
    return kernel_pool


def _consumer(
    pool: asyncpg.Pool,
    bootstrap: str,
    topic: str,
    publisher: KafkaPublisher,
    name: str | None = None,
) -> EventConsumer:
    return EventConsumer(
        name=name or f"test-{uuid.uuid4().hex[:8]}",
        topics=[topic],
        bootstrap=bootstrap,
        pool=pool,
        handler=counting_handler(),
        registry=REGISTRY,
        publisher=publisher,
        retry=RetryPolicy(attempts=3, initial_backoff=0.05),
        batch_size=50,
        security=admin_security(),
    )


async def test_redelivered_and_replayed_events_change_nothing(
    counting_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    publisher = KafkaPublisher(kafka_bootstrap, "test", security=admin_security())
    messages = [ping_message(topic, i) for i in range(100)]
    await publisher.publish(messages + messages[:40])  # a relay retry re-sent 40
    name = f"test-{uuid.uuid4().hex[:8]}"
    consumer = _consumer(counting_pool, kafka_bootstrap, topic, publisher, name)
    task = asyncio.create_task(consumer.run())
    assert await wait_for_count(counting_pool, 100) == 100
    await consumer.stop()
    await task

    # Replay from the start with a new group but the same consumer identity.
    await counting_pool.execute(
        "DELETE FROM consumer_checkpoints WHERE consumer = $1", name
    )
    replay = EventConsumer(
        name=name,
        topics=[topic],
        bootstrap=kafka_bootstrap,
        pool=counting_pool,
        handler=counting_handler(),
        registry=REGISTRY,
        publisher=publisher,
        group_id=f"{name}-replay",
        security=admin_security(),
    )
    task = asyncio.create_task(replay.run())
    for _ in range(100):
        done = await counting_pool.fetchval(
            "SELECT coalesce(sum(next_offset), 0) FROM consumer_checkpoints WHERE consumer=$1",
            name,
        )
        if done >= 140:
            break
        await asyncio.sleep(0.2)
    await replay.stop()
    await task
    assert done == 140
    assert await counting_pool.fetchval("SELECT count(*) FROM applied") == 100
    assert await counting_pool.fetchval("SELECT max(n) FROM applied") == 1
    await publisher.close()


async def test_bad_messages_are_dead_lettered_with_a_reason_and_the_rest_goes_on(
    counting_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    publisher = KafkaPublisher(kafka_bootstrap, "test", security=admin_security())
    subject = f"stream-{uuid.uuid4()}"  # one key, one partition: order matters here
    good_before = ping_message(topic, 1, subject=subject)
    not_json = OutgoingMessage(
        topic, subject.encode(), b"{not json", good_before.headers
    )
    wrong_payload = OutgoingMessage(
        topic,
        subject.encode(),
        b'{"seq": "many"}',
        [(k, v) for k, v in ping_message(topic, 2).headers],
    )
    poison = ping_message(topic, 3, poison=True, subject=subject)
    good_after = [ping_message(topic, 10 + i, subject=subject) for i in range(5)]
    await publisher.publish([good_before, not_json, wrong_payload, poison, *good_after])

    name = f"test-{uuid.uuid4().hex[:8]}"
    consumer = _consumer(counting_pool, kafka_bootstrap, topic, publisher, name)
    task = asyncio.create_task(consumer.run())
    assert await wait_for_count(counting_pool, 6) == 6
    await consumer.stop()
    await task

    letters = [
        dict(r.headers)
        for r in await read_topic(
            kafka_bootstrap, DEAD_LETTERS, expected=1000, timeout=5
        )
        if dict(r.headers).get("dlq_consumer") == name.encode()
    ]
    reasons = sorted(h["dlq_reason"].decode() for h in letters)
    assert len(letters) == 3
    assert any("body is not JSON" in r for r in reasons)
    assert any("invalid payload: seq" in r for r in reasons)
    assert any("poison event 3" in r for r in reasons)
    poisoned = next(h for h in letters if b"poison" in h["dlq_reason"])
    assert poisoned["dlq_attempts"] == b"3"
    assert poisoned["dlq_original_topic"] == topic.encode()
    await publisher.close()


async def test_replicas_in_one_group_share_the_partitions_and_apply_each_event_once(
    counting_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    publisher = KafkaPublisher(kafka_bootstrap, "test", security=admin_security())
    await publisher.publish([ping_message(topic, i) for i in range(300)])
    name = f"replicated-{uuid.uuid4().hex[:8]}"
    replicas = [
        _consumer(counting_pool, kafka_bootstrap, topic, publisher, name)
        for _ in range(2)
    ]
    tasks = [asyncio.create_task(r.run()) for r in replicas]
    assert await wait_for_count(counting_pool, 300) == 300
    for _ in range(100):
        if all(r.lag() for r in replicas):
            break
        await asyncio.sleep(0.1)
    assert all(r.lag() for r in replicas), "both replicas must have owned partitions"
    # The second replica leaves mid-stream; the first takes its partitions over.
    await replicas[1].stop()
    await tasks[1]
    await publisher.publish([ping_message(topic, 1000 + i) for i in range(300)])
    assert await wait_for_count(counting_pool, 600) == 600
    await replicas[0].stop()
    await tasks[0]
    assert await counting_pool.fetchval("SELECT max(n) FROM applied") == 1
    owners = await counting_pool.fetch(
        "SELECT partition, next_offset FROM consumer_checkpoints WHERE consumer = $1",
        name,
    )
    assert sum(r["next_offset"] for r in owners) == 600
    await publisher.close()
