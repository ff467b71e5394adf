"""Kafka producer with the settings that do not lose data: acks=all, idempotence on."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaProducer

from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

log = structlog.get_logger(__name__)


async def create_producer(
    bootstrap: str,
    client_id: str,
    *,
    linger_ms: int = 5,
    security: KafkaSecurity | None = None,
) -> AIOKafkaProducer:
    """A started producer: acks=all and idempotence, so a retry never duplicates or drops."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=linger_ms,
        max_batch_size=512 * 1024,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
        **aiokafka_options(security),
    )
    try:
        await producer.start()
    except BaseException:
        await producer.stop()
        raise
    return producer


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


class KafkaPublisher:
    """Publishes batches in order and waits for every ack; recreates the producer on failure.

    Kafka may be down when the service starts or at any time later: the producer is
    started lazily, and after a failed batch it is rebuilt, because an idempotent
    producer that timed out may hold sequence state the broker no longer accepts.
    """

    def __init__(
        self, bootstrap: str, client_id: str, security: KafkaSecurity | None = None
    ) -> None:
        self._bootstrap = bootstrap
        self._client_id = client_id
        self._security = security
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        self._last_ok = False

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        """Send all messages (in the given order per partition) and wait for all acks."""
        if not messages:
            return
        async with self._lock:
            producer = await self._ensure()
            try:
                futures = [
                    await producer.send(m.topic, m.value, key=m.key, headers=m.headers)
                    for m in messages
                ]
                await asyncio.gather(*futures)
            except BaseException:
                self._last_ok = False
                await self._discard()
                raise
            self._last_ok = True

    async def ping(self) -> None:
        """Raise unless a producer can be started against the brokers (readiness)."""
        if self._producer is not None and self._last_ok:
            return  # the last publish was acknowledged: no need to queue behind it
        async with self._lock:
            await self._ensure()

    async def close(self) -> None:
        async with self._lock:
            await self._discard()

    async def _ensure(self) -> AIOKafkaProducer:
        if self._producer is None:
            self._producer = await create_producer(
                self._bootstrap, self._client_id, security=self._security
            )
        return self._producer

    async def _discard(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await asyncio.wait_for(producer.stop(), timeout=10)
            except Exception as exc:  # the producer is being thrown away anyway
                log.warning("producer_stop_failed", error=repr(exc))
