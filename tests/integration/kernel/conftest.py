"""Kernel integration fixtures: a migrated database, a pool, and per-test topics.

Kernel tests' Kafka clients (and the consumers they run, with arbitrary group ids) log in
as the broker's admin (tests.support.kafka_login): per-test topics and groups are in no
service principal's ACLs; the principals themselves are tested in tests/integration/security.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from lintas_shared.db import create_pool, kernel_migrations, migrate
from tests.support.kafka_login import admin_options


@pytest.fixture
async def kernel_pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(fresh_database, max_size=30)
    async with pool.acquire() as conn:
        await migrate(conn, kernel_migrations())
    yield pool
    await pool.close()


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    """A fresh 3-partition topic with infinite retention, named for this test."""
    name = f"test.{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap, **admin_options())
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(name, 3, 1, topic_configs={"retention.ms": "-1"})]
        )
    finally:
        await admin.close()
    return name


async def read_topic(
    bootstrap: str, topic: str, expected: int, timeout: float = 30.0
) -> list:
    """Every record of ``topic`` from the beginning, waiting until ``expected`` arrived."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **admin_options(),
    )
    await consumer.start()
    records: list = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expected and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for recs in batch.values():
                records.extend(recs)
        # A short extra poll so surplus (duplicate) records would be seen too.
        batch = await consumer.getmany(timeout_ms=500)
        for recs in batch.values():
            records.extend(recs)
    finally:
        await consumer.stop()
    return records
