"""Failure drills with real processes: Kafka down while writing, consumer killed mid-batch."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import NewEvent, PostgresEventStore, StreamAppend
from lintas_shared.messaging import EventConsumer, KafkaPublisher, OutboxRelay
from tests.integration.kernel.counting import (
    COUNTS_TABLE,
    REGISTRY,
    Ping,
    counting_handler,
    ping_message,
    wait_for_count,
)
from tests.support.kafka_login import admin_security

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
META = EventMetadata("KEMNAKER", "BPVP-PADANG")


async def test_events_written_while_kafka_is_down_reach_the_read_model_exactly_once(
    kernel_pool: asyncpg.Pool, kafka_bootstrap: str, kafka_node, topic: str
) -> None:
    await kernel_pool.execute(COUNTS_TABLE)
    store = PostgresEventStore(kernel_pool)
    publisher = KafkaPublisher(
        kafka_bootstrap, "outage-relay", security=admin_security()
    )
    relay = OutboxRelay(
        kernel_pool,
        publisher,
        source="lintas/test",
        lock_key="outage",
        idle_interval=0.2,
    )
    consumer = EventConsumer(
        name=f"outage-{uuid.uuid4().hex[:8]}",
        topics=[topic],
        bootstrap=kafka_bootstrap,
        pool=kernel_pool,
        handler=counting_handler(),
        registry=REGISTRY,
        publisher=KafkaPublisher(kafka_bootstrap, "outage-dlq", admin_security()),
        security=admin_security(),
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]

    def event(i: int) -> NewEvent:
        return NewEvent(
            Ping.type_name(), Ping(seq=i).model_dump(mode="json"), topic=topic
        )

    try:
        for i in range(20):
            await store.append(
                [StreamAppend(f"before-{i}-{uuid.uuid4()}", 0, [event(i)])], META
            )
        assert await wait_for_count(kernel_pool, 20) == 20

        await asyncio.to_thread(kafka_node.stop)
        for i in range(30):
            await store.append(
                [StreamAppend(f"during-{i}-{uuid.uuid4()}", 0, [event(i)])], META
            )
        await asyncio.sleep(2)  # the relay keeps failing meanwhile
        pending = await kernel_pool.fetchval(
            "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        )
        assert pending == 30
        await asyncio.to_thread(kafka_node.start)

        assert await wait_for_count(kernel_pool, 50, timeout=120) == 50
        await asyncio.sleep(1)
        assert await kernel_pool.fetchval("SELECT count(*) FROM applied") == 50
        assert await kernel_pool.fetchval("SELECT max(n) FROM applied") == 1
        assert (
            await kernel_pool.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            == 0
        )
    finally:
        await consumer.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await publisher.close()


def _spawn(dsn: str, bootstrap: str, topic: str, name: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.kernel.consumer_process",
            dsn,
            bootstrap,
            topic,
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_consumer_killed_mid_batch_loses_nothing_and_counts_nothing_twice(
    fresh_database: str, kernel_pool: asyncpg.Pool, kafka_bootstrap: str, topic: str
) -> None:
    await kernel_pool.execute(COUNTS_TABLE)
    publisher = KafkaPublisher(kafka_bootstrap, "kill-test", security=admin_security())
    await publisher.publish([ping_message(topic, i) for i in range(600)])
    await publisher.close()
    name = f"killed-{uuid.uuid4().hex[:8]}"

    first = _spawn(fresh_database, kafka_bootstrap, topic, name)
    try:
        partial = await wait_for_count(kernel_pool, 80, timeout=90)
        assert partial >= 80
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = await kernel_pool.fetchval("SELECT count(*) FROM applied")
    assert 0 < at_kill < 600, (
        "the kill must land mid-stream for this test to mean anything"
    )

    second = _spawn(fresh_database, kafka_bootstrap, topic, name)
    try:
        assert await wait_for_count(kernel_pool, 600, timeout=180) == 600
        await asyncio.sleep(1.5)
    finally:
        second.terminate()
        second.wait()
    assert await kernel_pool.fetchval("SELECT count(*) FROM applied") == 600
    assert await kernel_pool.fetchval("SELECT max(n) FROM applied") == 1
