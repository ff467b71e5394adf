"""Enrollment on real PostgreSQL: a migrated fresh database, its store, queries and API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from enrollment.adapters.postgres.projection import project
from enrollment.adapters.postgres.queries import PostgresQueries
from enrollment.application.context import Context
from enrollment.bootstrap import migrations
from lintas_shared.audit.postgres import PostgresAuditTrail
from lintas_shared.db import create_pool, kernel_migrations, migrate
from lintas_shared.eventstore import PostgresEventStore
from tests.support.identity import Identity
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import Api, app_for


@dataclass
class Pg:
    dsn: str
    pool: asyncpg.Pool
    store: PostgresEventStore
    queries: PostgresQueries
    harness: f.Harness
    audit: PostgresAuditTrail

    @property
    def ctx(self) -> Context:
        return self.fresh_ctx()

    def fresh_ctx(self) -> Context:
        """A context with its own in-process queues, as another replica would have."""
        return Context(
            self.store,
            self.queries,
            self.harness.policy,
            self.harness.now,
            audit=self.audit,
        )

    async def count(self, table: str) -> int:
        value = await self.pool.fetchval(f"SELECT count(*) FROM {table}")
        return int(value)

    async def counts(self) -> dict[str, int]:
        tables = (
            "events",
            "outbox",
            "idempotency_keys",
            "agreement_view",
            "package_view",
            "enrollment_view",
        )
        return {table: await self.count(table) for table in tables}


@pytest.fixture
async def pg(fresh_database: str) -> AsyncIterator[Pg]:
    # The service's default pool size, so contention is as in production.
    pool = await create_pool(fresh_database, max_size=10)
    async with pool.acquire() as conn:
        await migrate(conn, [*kernel_migrations(), *migrations()])
    store = PostgresEventStore(pool, projections=[project])
    try:
        yield Pg(
            fresh_database,
            pool,
            store,
            PostgresQueries(pool),
            f.Harness(),
            PostgresAuditTrail(pool),
        )
    finally:
        await pool.close()


@pytest.fixture
async def pg_api(pg: Pg, identity: Identity) -> AsyncIterator[Api]:
    """The API on PostgreSQL, called with real tokens of the local issuers."""
    verifier = identity.verifier()
    app = app_for(pg.ctx, pg.queries, verifier)
    app.state.audit = pg.audit
    try:
        async with Api.over(app, identity.token_for) as api:
            yield api
    finally:
        await verifier.aclose()
