"""The real broker and PostgreSQL started by the fixtures behave as the system needs."""

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from lintas_deploy import procs
from lintas_deploy.kafka import KafkaNode
from lintas_deploy.topics import TopicSpec, ensure_topics
from lintas_shared.topics import (
    CERTIFICATION_EVENTS,
    DEAD_LETTERS,
    ENROLLMENT_COMMANDS,
    ENROLLMENT_EVENTS,
)
from tests.support.kafka_login import admin_options, admin_security

pytestmark = pytest.mark.integration


async def topic_facts(bootstrap: str, topic: str) -> tuple[int, dict[str, str]]:
    """(partition count, topic configs) as the broker reports them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **admin_options())
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic)]
        )
        entries = response.resources[0][4]
        return len(described["partitions"]), {e[0]: e[1] for e in entries}
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        **admin_options(),
    )
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=b"stream-1")
    finally:
        await producer.stop()


async def consume(bootstrap: str, topic: str, expected: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **admin_options(),
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while len(values) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                values.extend(r.value for r in records if r.value is not None)
    finally:
        await consumer.stop()
    return values


async def new_topic(bootstrap: str) -> str:
    name = f"test.infra.{uuid.uuid4().hex[:12]}"
    assert await ensure_topics(
        bootstrap, specs=[TopicSpec(name, 3)], security=admin_security()
    ) == [name]
    return name


@pytest.mark.parametrize(
    "topic", [ENROLLMENT_EVENTS, CERTIFICATION_EVENTS, DEAD_LETTERS]
)
async def test_event_topics_have_six_partitions_and_keep_records_forever(
    kafka_bootstrap: str, topic: str
) -> None:
    partitions, configs = await topic_facts(kafka_bootstrap, topic)
    assert partitions == 6
    assert configs["retention.ms"] == "-1"
    assert configs["retention.bytes"] == "-1"


async def test_command_topics_keep_the_default_retention(kafka_bootstrap: str) -> None:
    partitions, configs = await topic_facts(kafka_bootstrap, ENROLLMENT_COMMANDS)
    assert partitions == 6
    assert configs["retention.ms"] == "604800000"


async def test_creating_topics_again_changes_nothing(kafka_bootstrap: str) -> None:
    assert await ensure_topics(kafka_bootstrap, security=admin_security()) == []


async def test_a_message_produced_with_acks_all_is_consumed_back(
    kafka_bootstrap: str,
) -> None:
    topic = await new_topic(kafka_bootstrap)
    await produce(kafka_bootstrap, topic, [b"OfficerEnrolled"])
    assert await consume(kafka_bootstrap, topic, 1) == [b"OfficerEnrolled"]


async def test_postgres_accepts_a_connection_and_the_fresh_database_is_empty(
    fresh_database: str,
) -> None:
    conn = await asyncpg.connect(fresh_database)
    try:
        assert (await conn.fetchval("SELECT current_database()")).startswith("test_")
        tables = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        assert tables == 0
    finally:
        await conn.close()


async def test_each_fresh_database_is_a_new_one(
    fresh_database: str, pg_admin_dsn: str
) -> None:
    conn = await asyncpg.connect(pg_admin_dsn)
    try:
        name = fresh_database.rsplit("/", 1)[1]
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM pg_database WHERE datname = $1", name
            )
            == 1
        )
    finally:
        await conn.close()


async def test_messages_survive_a_broker_restart(
    kafka_node: KafkaNode, kafka_bootstrap: str
) -> None:
    topic = await new_topic(kafka_bootstrap)
    sent = [f"event-{i}".encode() for i in range(20)]
    await produce(kafka_bootstrap, topic, sent)
    try:
        await asyncio.to_thread(kafka_node.stop)
        assert kafka_node.pid() is None
        assert not procs.port_open(kafka_node.port)
    finally:
        await asyncio.to_thread(kafka_node.start)
    assert await consume(kafka_bootstrap, topic, len(sent)) == sent
