"""Helpers for reporting integration tests: project histories and snapshot every model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from reporting.adapters.postgres import generations
from reporting.adapters.postgres.fact_store import PostgresFacts
from reporting.adapters.postgres.queries import data_as_of, plain
from reporting.application.project import DeliveryLike, project
from reporting.domain.facts import FACT_TABLES
from reporting.domain.models import MODELS


async def new_generation(pool: asyncpg.Pool) -> str:
    async with pool.acquire() as conn:
        return await generations.create_generation(conn, FACT_TABLES)


async def project_in_batches(
    pool: asyncpg.Pool, schema: str, batches: Sequence[Sequence[DeliveryLike]]
) -> None:
    """Each batch in its own transaction, as the live projector would."""
    async with pool.acquire() as conn:
        for batch in batches:
            async with conn.transaction():
                await project(PostgresFacts(conn, schema), batch)


async def snapshot(pool: asyncpg.Pool, schema: str) -> dict[str, Any]:
    """Every read model's rows (sorted) and the data-as-of time of a generation."""
    out: dict[str, Any] = {}
    async with pool.acquire() as conn:
        for model in MODELS.values():
            rows = await conn.fetch(
                f"SELECT {', '.join(model.columns)} FROM {schema}.{model.view}"
            )
            out[model.name] = sorted(
                (tuple(plain(v) for v in r.values()) for r in rows), key=repr
            )
        out["data_as_of"] = plain(await data_as_of(conn, schema))
    return out
