"""Clients for the ACL tests: produce, consume or list topics as one principal."""

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError

from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

DENIED = (TopicAuthorizationFailedError, GroupAuthorizationFailedError)


async def produce(
    bootstrap: str, security: KafkaSecurity | None, topic: str, value: bytes = b"x"
) -> int:
    """Send one record the way the relay does (acks=all, idempotent); its offset."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=10000,
        **aiokafka_options(security),
    )
    try:
        await asyncio.wait_for(producer.start(), 30)
        meta = await asyncio.wait_for(
            producer.send_and_wait(topic, value, key=uuid.uuid4().bytes), 30
        )
        return int(meta.offset)
    finally:
        await producer.stop()


async def consume(
    bootstrap: str,
    security: KafkaSecurity | None,
    topics: list[str],
    group: str,
    wanted: set[bytes] | None = None,
    timeout: float = 30.0,
) -> set[bytes]:
    """Read from the start in `group` until every `wanted` value is seen; commit."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=10000,
        **aiokafka_options(security),
    )
    seen: set[bytes] = set()
    try:
        await asyncio.wait_for(consumer.start(), 30)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=1000)
            seen |= {r.value for rs in batches.values() for r in rs if r.value}
            if wanted is None or wanted <= seen:
                break
        await consumer.commit()
        return seen
    finally:
        await consumer.stop()


async def list_topics(bootstrap: str, security: KafkaSecurity | None) -> list[str]:
    """The topic names the broker shows this client (a metadata request)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=10000,
        **aiokafka_options(security),
    )
    try:
        await asyncio.wait_for(admin.start(), 30)
        return list(await admin.list_topics())
    finally:
        await admin.close()


async def denied(operation: object) -> bool:
    """True if the awaited client call was refused with an authorization error."""
    assert asyncio.iscoroutine(operation)
    try:
        await operation
    except DENIED:
        return True
    return False


async def create_topic(
    bootstrap: str, security: KafkaSecurity | None, name: str
) -> list[int]:
    """Ask the broker to create a topic; the error code it answers per topic."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=10000,
        **aiokafka_options(security),
    )
    try:
        await asyncio.wait_for(admin.start(), 30)
        response = await admin.create_topics([NewTopic(name, 1, 1)])
        return [int(error[1]) for error in response.topic_errors]
    finally:
        await admin.close()
