"""Project a batch of deliveries into one generation: reduce in memory, write set-based."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from reporting.application.ports import DeliveryLike, FactSink
from reporting.domain.projection import reduce_events, watermarks

__all__ = ["DeliveryLike", "live_handler", "project"]

Tx = TypeVar("Tx")


async def project(
    facts: FactSink,
    deliveries: Sequence[DeliveryLike],
    tables: frozenset[str] | None = None,
) -> None:
    """Apply deliveries to the sink's generation (only ``tables`` if given), any order.

    Safe to repeat: the same events give the same rows.
    """
    rows = reduce_events(
        ((d.event.id, d.event.time, d.payload) for d in deliveries), tables
    )
    await facts.write_groups(rows)
    await facts.advance_watermarks(
        watermarks((d.topic, d.partition, d.event.time) for d in deliveries)
    )


def live_handler(
    current: Callable[[Tx], Awaitable[FactSink]],
) -> Callable[[Tx, Sequence[DeliveryLike]], Awaitable[None]]:
    """The live projector's handler: write into whatever generation is current.

    ``current`` opens the current generation inside the consumer's transaction ``Tx``
    (the PostgreSQL adapter holds the pointer FOR SHARE, so a switch waits for this
    batch and this batch for a switch in progress).
    """

    async def handle(tx: Tx, deliveries: Sequence[DeliveryLike]) -> None:
        await project(await current(tx), deliveries)

    return handle
