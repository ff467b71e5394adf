"""Ports of the use cases: where facts are written, generations kept and events replayed.

The application names what it needs; ``reporting.bootstrap`` wires the PostgreSQL and
Kafka adapters (``reporting.adapters``) that provide it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.envelope import CloudEvent
from reporting.domain.projection import Row

Position = tuple[str, int]  # (topic, partition)


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


class FactSink(Protocol):
    """Writes into one generation, inside a transaction the adapter holds."""

    async def write_groups(self, rows_by_group: Mapping[str, Sequence[Row]]) -> None:
        """Apply reduced rows (at most one per key per group); later (time, id) wins."""

    async def advance_watermarks(self, marks: Mapping[Position, datetime]) -> None:
        """Latest event time per partition (data as of), never moving back."""


class RebuildSink(FactSink, Protocol):
    """A rebuild's transaction: facts plus its own replay position and progress."""

    async def save_positions(
        self, reached: Mapping[Position, int], replayed: int, to_replay: int
    ) -> None:
        """Next offset per partition that the writes of this transaction cover."""


class Switch(RebuildSink, Protocol):
    """The switch transaction: the live projector waits until it ends."""

    async def copy_facts(self, tables: Sequence[str]) -> None:
        """Carry fact tables that were not replayed over from the current generation."""

    async def point_to_target(self) -> None:
        """Make the rebuilt generation the current one (on commit)."""


class Generations(Protocol):
    """The read-model generations and the pointer to the current one."""

    async def start(self, facts: frozenset[str]) -> tuple[str, str]:
        """Drop abandoned builds and open a new one: (current, new generation)."""

    def batch(self, generation: str) -> AbstractAsyncContextManager[RebuildSink]:
        """One transaction writing into ``generation``; commits on a clean exit."""

    def switch(self, previous: str, target: str) -> AbstractAsyncContextManager[Switch]:
        """The switch transaction from ``previous`` to ``target``."""

    async def live_checkpoints(self, consumer: str) -> dict[Position, int]:
        """Next offset per partition that the live projector has committed."""

    async def drop_old(self, keep: int) -> list[str]:
        """Drop retired generations beyond the ``keep`` most recent; their names."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that is not a valid event; the live projector dead-lettered it too."""

    topic: str
    partition: int
    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class ReplayBatch:
    """Parsed deliveries of one read, the records refused, and how far it reached."""

    deliveries: Sequence[DeliveryLike]
    unreadable: Sequence[Unreadable]
    reached: Mapping[Position, int]


class EventLog(Protocol):
    """The event topics, read from chosen positions up to chosen offsets."""

    async def beginnings(self) -> dict[Position, int]:
        """First offset still kept, per partition."""

    async def ends(self) -> dict[Position, int]:
        """Offset after the last committed record, per partition."""

    def seek(self, positions: Mapping[Position, int]) -> None:
        """Continue reading each partition at ``positions`` (0 if not given)."""

    def read(self, targets: Mapping[Position, int]) -> AsyncIterator[ReplayBatch]:
        """Parsed batches below ``targets``; ends when every partition reached them."""
