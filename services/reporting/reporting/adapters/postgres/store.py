"""The generations port on PostgreSQL: batches, the switch transaction, housekeeping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg

from lintas_shared.messaging.inbox import load_checkpoints
from reporting.adapters.postgres import generations
from reporting.adapters.postgres.fact_store import PostgresFacts, copy_facts


class PostgresSwitch(PostgresFacts):
    """Writes of the switch transaction, which holds the pointer FOR UPDATE."""

    def __init__(self, conn: asyncpg.Connection, previous: str, target: str) -> None:
        super().__init__(conn, target)
        self.previous = generations.checked(previous)

    async def copy_facts(self, tables: Sequence[str]) -> None:
        await copy_facts(self.conn, self.previous, self.schema, tables)

    async def point_to_target(self) -> None:
        await generations.point_to(self.conn, self.schema)


class PostgresGenerations:
    """Generations in one reporting database, reached through ``pool``."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def start(self, facts: frozenset[str]) -> tuple[str, str]:
        async with self._pool.acquire() as conn:
            await generations.abandon_building(conn)
            previous = await generations.ensure_current(conn)
            target = await generations.create_generation(conn, facts)
        return previous, target

    @asynccontextmanager
    async def batch(self, generation: str) -> AsyncIterator[PostgresFacts]:
        async with self._pool.acquire() as conn, conn.transaction():
            yield PostgresFacts(conn, generation)

    @asynccontextmanager
    async def switch(self, previous: str, target: str) -> AsyncIterator[PostgresSwitch]:
        async with self._pool.acquire() as conn, conn.transaction():
            await generations.current(conn, lock="FOR UPDATE")
            yield PostgresSwitch(conn, previous, target)

    async def live_checkpoints(self, consumer: str) -> dict[tuple[str, int], int]:
        return await load_checkpoints(self._pool, consumer)

    async def drop_old(self, keep: int) -> list[str]:
        async with self._pool.acquire() as conn:
            return await generations.drop_old(conn, keep)
