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
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

import asyncpg
import structlog

from lintas_shared.contracts.registry import EventRegistry
from lintas_shared.messaging import Delivery
from lintas_shared.messaging.inbox import load_checkpoints
from reporting.adapters.postgres import generations
from reporting.adapters.postgres.fact_store import copy_facts, save_replay_checkpoints
from reporting.adapters.kafka.replay import (
    Position,
    Replayer,
    Unreadable,
    parse_yielding,
    prefetched,
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
        pool: asyncpg.Pool,
        replayer: Replayer,
        registry: EventRegistry,
        *,
        live_consumer: str,
        models: list[str] | None = None,
        report: Callable[[Progress], None] = lambda _: None,
        keep_generations: int = 2,
        catch_up_slack: int = 1000,
    ) -> None:
        self._pool = pool
        self._replayer = replayer
        self._registry = registry
        self._live = live_consumer
        self._tables = facts_for(models)
        self._report = report
        self._keep = keep_generations
        self._slack = catch_up_slack
        self._positions: dict[Position, int] = {}
        self.progress: Progress | None = None

    async def run(self) -> RebuildResult:
        async with self._pool.acquire() as conn:
            await generations.abandon_building(conn)
            previous = await generations.ensure_current(conn)
            target = await generations.create_generation(conn, self._tables)
        progress = self.progress = Progress(target)
        self._positions = await self._replayer.beginnings()
        ends = await self._replayer.ends()  # captured at start: the replay's goal
        progress.total = sum(ends[p] - self._positions.get(p, 0) for p in ends)
        await self._read_into(target, ends)
        for _ in range(5):  # catch up with what arrived meanwhile, briefly
            progress.phase = "catch-up"
            ends = await self._replayer.ends()
            behind = sum(max(ends[p] - self._positions.get(p, 0), 0) for p in ends)
            if behind <= self._slack:
                break
            progress.total += behind
            await self._read_into(target, ends)
        progress.phase = "switch"
        self._report(progress)
        await self._switch(previous, target)
        async with self._pool.acquire() as conn:
            dropped = await generations.drop_old(conn, self._keep)
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
        async with self._pool.acquire() as conn, conn.transaction():
            await generations.current(conn, lock="FOR UPDATE")
            live = await load_checkpoints(self._pool, self._live)
            goal = {p: max(live.get(p, 0), self._positions.get(p, 0)) for p in live}
            await self._read_into(target, goal, conn=conn)
            untouched = sorted(FACT_TABLES - self._tables)
            await copy_facts(conn, previous, target, untouched)
            await generations.point_to(conn, target)
        log.info("rebuild_switched", previous=previous, current=target)

    async def _read_into(
        self,
        schema: str,
        targets: Mapping[Position, int],
        conn: asyncpg.Connection | None = None,
    ) -> None:
        """Replay up to ``targets``; one transaction per batch unless ``conn`` is given.

        Parsing the next batch overlaps with writing the previous one: the parse yields
        often, so each statement of the write goes out as soon as the one before returns.
        """
        if not any(targets.get(p, 0) > off for p, off in self._positions.items()):
            return
        self._replayer.seek(self._positions)
        writing: asyncio.Task[None] | None = None
        async for records in prefetched(self._replayer.read(targets)):
            deliveries, bad = await parse_yielding(records, self._registry)
            reached: dict[Position, int] = {}
            for r in records:
                key = (r.topic, r.partition)
                reached[key] = max(reached.get(key, 0), r.offset + 1)
            if writing is not None:
                await writing
            writing = asyncio.create_task(
                self._apply(schema, deliveries, bad, reached, conn)
            )
        if writing is not None:
            await writing
        for p, off in targets.items():
            self._positions[p] = max(self._positions.get(p, 0), off)

    async def _apply(
        self,
        schema: str,
        deliveries: list[Delivery],
        bad: list[Unreadable],
        reached: dict[Position, int],
        conn: asyncpg.Connection | None,
    ) -> None:
        for item in bad:
            log.warning("rebuild_skipped_unreadable", **asdict(item))
        if conn is not None:
            await self._write(conn, schema, deliveries, reached)
        else:
            async with self._pool.acquire() as own, own.transaction():
                await self._write(own, schema, deliveries, reached)
        assert self.progress is not None
        self.progress.applied += len(deliveries)
        self.progress.skipped += len(bad)
        for p, off in reached.items():
            self._positions[p] = max(self._positions.get(p, 0), off)
        self._report(self.progress)

    async def _write(
        self,
        conn: asyncpg.Connection,
        schema: str,
        deliveries: list[Delivery],
        reached: dict[Position, int],
    ) -> None:
        await project(conn, schema, deliveries, self._tables)
        await save_replay_checkpoints(conn, schema, reached)
        assert self.progress is not None
        await conn.execute(
            """UPDATE rm_control.generations SET replayed = $2, to_replay = $3
               WHERE name = $1""",
            schema,
            self.progress.applied + len(deliveries),
            self.progress.total,
        )
