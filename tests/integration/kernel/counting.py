"""A deliberately non-idempotent test projection: it counts every application of an event."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import ClassVar

import asyncpg
from pydantic import Field

from lintas_shared.contracts import EventRegistry, IntegrationEvent
from lintas_shared.envelope import CloudEvent, EventMetadata
from lintas_shared.messaging import Delivery, OutgoingMessage

COUNTS_TABLE = """
CREATE TABLE IF NOT EXISTS applied (
    event_id uuid PRIMARY KEY,
    subject  text NOT NULL,
    n        integer NOT NULL
)"""


class Ping(IntegrationEvent):
    """Test event."""

    event_name: ClassVar[str] = "Ping"
    version: ClassVar[int] = 1

    seq: int = Field(description="Sequence number.")
    poison: bool = Field(default=False, description="Make the handler fail.")


REGISTRY = EventRegistry([Ping])


def counting_handler(delay: float = 0.0):
    """Adds 1 per application, so a double application shows as n = 2."""

    async def handle(conn: asyncpg.Connection, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            payload = delivery.payload
            assert isinstance(payload, Ping)
            if payload.poison:
                raise RuntimeError(f"poison event {payload.seq}")
            await conn.execute(
                """INSERT INTO applied (event_id, subject, n) VALUES ($1, $2, 1)
                   ON CONFLICT (event_id) DO UPDATE SET n = applied.n + 1""",
                delivery.event.id,
                delivery.event.subject,
            )
        if delay:
            await asyncio.sleep(delay)

    return handle


def ping_message(
    topic: str, seq: int, *, poison: bool = False, subject: str | None = None
) -> OutgoingMessage:
    subject = subject or f"ping-{seq % 7}"
    event = CloudEvent(
        id=uuid.uuid4(),
        source="lintas/test",
        type=Ping.type_name(),
        subject=subject,
        time=datetime.now(UTC),
        stream_version=seq,
        metadata=EventMetadata("TEST", "TEST-UNIT"),
        data=Ping(seq=seq, poison=poison).model_dump(mode="json"),
    )
    value, headers = event.to_kafka()
    return OutgoingMessage(
        topic=topic, key=subject.encode(), value=value, headers=headers
    )


async def wait_for_count(
    pool: asyncpg.Pool, expected: int, timeout: float = 60.0
) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    count = 0
    while asyncio.get_running_loop().time() < deadline:
        count = await pool.fetchval("SELECT count(*) FROM applied")
        if count >= expected:
            return count
        await asyncio.sleep(0.2)
    return count
