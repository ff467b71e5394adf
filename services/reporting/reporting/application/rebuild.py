"""Rebuild read models into a new generation from the start of the topics, then switch.

Queries and the live projector keep using the current generation throughout. The switch
is one transaction that holds the pointer row FOR UPDATE (so the live projector pauses
between batches), tops the new generation up to the live projector's checkpoint, copies
the facts that were not rebuilt, and re-points. Projection is idempotent, so events the
rebuild read past the live checkpoint may safely be applied again by the live projector.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import structlog

from reporting.application.ports import (
    DeliveryLike,
    EventLog,
    Generations,
    Position,
    RebuildSink,
    Unreadable,
)
from reporting.application.project import project
from reporting.domain.facts import FACT_TABLES
from reporting.domain.models import facts_for

log = structlog.get_logger(__name__)


@dataclass
class Progress:
    """What a rebuild has done so far; handed to the reporter after every batch."""

    generation: str
    phase: str = "replay"
    applied: int = 0
    skipped: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        return self.applied / max(time.monotonic() - self.started, 1e-9)


@dataclass(frozen=True)
class RebuildResult:
    generation: str
    previous: str
    applied: int
    skipped: int
    seconds: float
    dropped: list[str]


class Rebuild:
    """One rebuild run: replay, catch up, switch."""

    def __init__(
        self,
        generations: Generations,
        events: EventLog,
        *,
        live_consumer: str,
        models: list[str] | None = None,
        report: Callable[[Progress], None] = lambda _: None,
        keep_generations: int = 2,
        catch_up_slack: int = 1000,
    ) -> None:
        self._generations = generations
        self._events = events
        self._live = live_consumer
        self._tables = facts_for(models)
        self._report = report
        self._keep = keep_generations
        self._slack = catch_up_slack
        self._positions: dict[Position, int] = {}
        self.progress: Progress | None = None

    async def run(self) -> RebuildResult:
        previous, target = await self._generations.start(self._tables)
        progress = self.progress = Progress(target)
        self._positions = await self._events.beginnings()
        ends = await self._events.ends()  # captured at start: the replay's goal
        progress.total = sum(ends[p] - self._positions.get(p, 0) for p in ends)
        await self._read_into(target, ends)
        for _ in range(5):  # catch up with what arrived meanwhile, briefly
            progress.phase = "catch-up"
            ends = await self._events.ends()
            behind = sum(max(ends[p] - self._positions.get(p, 0), 0) for p in ends)
            if behind <= self._slack:
                break
            progress.total += behind
            await self._read_into(target, ends)
        progress.phase = "switch"
        self._report(progress)
        await self._switch(previous, target)
        dropped = await self._generations.drop_old(self._keep)
        progress.phase = "done"
        self._report(progress)
        return RebuildResult(
            target,
            previous,
            progress.applied,
            progress.skipped,
            time.monotonic() - progress.started,
            dropped,
        )

    async def _switch(self, previous: str, target: str) -> None:
        async with self._generations.switch(previous, target) as switch:
            live = await self._generations.live_checkpoints(self._live)
            goal = {p: max(live.get(p, 0), self._positions.get(p, 0)) for p in live}
            await self._read_into(target, goal, sink=switch)
            await switch.copy_facts(sorted(FACT_TABLES - self._tables))
            await switch.point_to_target()
        log.info("rebuild_switched", previous=previous, current=target)

    async def _read_into(
        self,
        schema: str,
        targets: Mapping[Position, int],
        sink: RebuildSink | None = None,
    ) -> None:
        """Replay up to ``targets``; one transaction per batch unless ``sink`` is given.

        Parsing the next batch overlaps with writing the previous one: the parse yields
        often, so each statement of the write goes out as soon as the one before returns.
        """
        if not any(targets.get(p, 0) > off for p, off in self._positions.items()):
            return
        self._events.seek(self._positions)
        writing: asyncio.Task[None] | None = None
        async for batch in self._events.read(targets):
            if writing is not None:
                await writing
            writing = asyncio.create_task(
                self._apply(
                    schema, batch.deliveries, batch.unreadable, batch.reached, sink
                )
            )
        if writing is not None:
            await writing
        for p, off in targets.items():
            self._positions[p] = max(self._positions.get(p, 0), off)

    async def _apply(
        self,
        schema: str,
        deliveries: Sequence[DeliveryLike],
        bad: Sequence[Unreadable],
        reached: Mapping[Position, int],
        sink: RebuildSink | None,
    ) -> None:
        for item in bad:
            log.warning("rebuild_skipped_unreadable", **asdict(item))
        if sink is not None:
            await self._write(sink, deliveries, reached)
        else:
            async with self._generations.batch(schema) as own:
                await self._write(own, deliveries, reached)
        assert self.progress is not None, "set by run() before any replay"
        self.progress.applied += len(deliveries)
        self.progress.skipped += len(bad)
        for p, off in reached.items():
            self._positions[p] = max(self._positions.get(p, 0), off)
        self._report(self.progress)

    async def _write(
        self,
        sink: RebuildSink,
        deliveries: Sequence[DeliveryLike],
        reached: Mapping[Position, int],
    ) -> None:
        await project(sink, deliveries, self._tables)
        assert self.progress is not None, "set by run() before any replay"
        await sink.save_positions(
            reached, self.progress.applied + len(deliveries), self.progress.total
        )
