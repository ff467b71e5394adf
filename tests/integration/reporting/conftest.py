"""Reporting integration fixtures: a migrated database with a current generation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from lintas_shared.db import create_pool, kernel_migrations, migrate, migrations_in


@pytest.fixture
async def rm_pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a new database with the kernel's and reporting's migrations applied."""
    pool = await create_pool(fresh_database, max_size=8)
    async with pool.acquire() as conn:
        await migrate(
            conn, [*kernel_migrations(), *migrations_in("reporting", "reporting")]
        )
    yield pool
    await pool.close()
