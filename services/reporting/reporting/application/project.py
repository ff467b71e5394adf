"""Project a batch of deliveries into one generation: reduce in memory, write set-based."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import asyncpg

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.envelope import CloudEvent
from reporting.adapters.postgres import generations
from reporting.adapters.postgres.fact_store import advance_watermarks, write_groups
from reporting.domain.projection import reduce_events, watermarks


class DeliveryLike(Protocol):
    """What projection needs of a delivery (``lintas_shared.messaging.Delivery`` fits)."""

    @property
    def event(self) -> CloudEvent: ...
    @property
    def payload(self) -> IntegrationEvent: ...
    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...


async def project(
    conn: asyncpg.Connection,
    schema: str,
    deliveries: Sequence[DeliveryLike],
    tables: frozenset[str] | None = None,
) -> None:
    """Apply deliveries to ``schema``'s facts (only ``tables`` if given), in any order.

    Call inside a transaction. Safe to repeat: the same events give the same rows.
    """
    rows = reduce_events(
        ((d.event.id, d.event.time, d.payload) for d in deliveries), tables
    )
    await write_groups(conn, schema, rows)
    await advance_watermarks(
        conn,
        schema,
        watermarks((d.topic, d.partition, d.event.time) for d in deliveries),
    )


async def project_live(
    conn: asyncpg.Connection, deliveries: Sequence[DeliveryLike]
) -> None:
    """The live projector's handler: write into whatever generation is current.

    FOR SHARE on the pointer makes a switch wait for this batch, and this batch wait for
    a switch in progress; replicas of the projector do not block each other.
    """
    schema = await generations.current(conn, lock="FOR SHARE")
    await project(conn, schema, deliveries)
