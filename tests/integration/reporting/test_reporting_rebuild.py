"""Rebuild while serving: queries keep answering, the switch is atomic, rebuilt equals live."""

from __future__ import annotations

import asyncio
import random
import time

import asyncpg
import httpx
import pytest

from lintas_shared.db import create_pool
from reporting import bootstrap
from reporting.adapters.postgres import generations
from reporting.application.rebuild import Progress
from tests.integration.reporting.kafka_support import private_settings, publish, serving
from tests.integration.reporting.support import (
    new_generation,
    project_in_batches,
    snapshot,
)
from tests.support.identity import Identity
from tests.support.synthetic_history import as_deliveries, history

pytestmark = pytest.mark.integration


async def _caught_up(pool: asyncpg.Pool, consumer: str, expected: int) -> None:
    """Wait until the live projector's checkpoints cover ``expected`` records."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = await pool.fetchval(
            "SELECT COALESCE(sum(next_offset), 0) FROM consumer_checkpoints "
            "WHERE consumer = $1",
            consumer,
        )
        if done >= expected:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"live projector stuck at {done}/{expected} records")


async def test_rebuild_switches_atomically_while_queries_keep_answering(
    kafka_bootstrap: str, fresh_database: str, identity: Identity
) -> None:
    settings = await private_settings(
        kafka_bootstrap, fresh_database, rebuild_batch_size=150, consumer_batch_size=300
    )
    seed = random.randrange(10**9)
    events = history(seed, packages=60, officers=16, units=4)
    first, second = events[: len(events) * 2 // 3], events[len(events) * 2 // 3 :]
    await publish(kafka_bootstrap, settings, first)

    pool = await create_pool(fresh_database)
    app = bootstrap.build_app(settings, identity=identity.settings())
    reader = identity.persona_headers("ditjenpas-centre-analyst")
    try:
        async with (
            serving(app, settings.http_port) as base,
            httpx.AsyncClient(base_url=base, timeout=10, headers=reader) as http,
        ):
            await _caught_up(pool, settings.projector_name, len(first))
            async with pool.acquire() as conn:
                live = await generations.current(conn)

            # The live generation equals the ordered history projected directly.
            reference = await new_generation(pool)
            ordered = sorted(
                as_deliveries(first), key=lambda d: (d.event.time, d.event.id)
            )
            await project_in_batches(pool, reference, [ordered])
            assert await snapshot(pool, live) == await snapshot(pool, reference)

            answers: list[tuple[int, str]] = []
            progress: list[Progress] = []
            done = asyncio.Event()

            async def keep_querying() -> None:
                while not done.is_set():
                    for path in ("/api/v1/national", "/api/v1/packages?page_size=5"):
                        r = await http.get(path)
                        answers.append((r.status_code, r.json().get("generation", "?")))
                    await asyncio.sleep(0.01)

            async def publish_more_during_rebuild() -> None:
                await asyncio.sleep(0.3)
                await publish(kafka_bootstrap, settings, second)

            querying = asyncio.create_task(keep_querying())
            producing = asyncio.create_task(publish_more_during_rebuild())
            result = await bootstrap.rebuild(
                settings, None, lambda p: progress.append(Progress(**vars(p)))
            )
            await producing
            await _caught_up(pool, settings.projector_name, len(events))
            await asyncio.sleep(0.5)
            done.set()
            await querying

            assert result.previous == live and result.generation != live
            assert {s for s, _ in answers} == {200}
            seen = [g for _, g in answers]
            assert live in seen and result.generation in seen
            switch_at = seen.index(result.generation)
            assert set(seen[switch_at:]) == {result.generation}, (
                "switched back and forth"
            )
            assert any(
                p.phase == "replay" and 0 < p.applied < p.total for p in progress
            )

            # Rebuilt plus live continuation equals every event projected directly...
            everything = await new_generation(pool)
            ordered = sorted(
                as_deliveries(events), key=lambda d: (d.event.time, d.event.id)
            )
            await project_in_batches(pool, everything, [ordered])
            rebuilt = await snapshot(pool, result.generation)
            assert rebuilt == await snapshot(pool, everything)
            # ...and equals the old live generation brought up to date the same way.
            await project_in_batches(pool, live, [as_deliveries(second)])
            assert rebuilt == await snapshot(pool, live)
            national = (await http.get("/api/v1/national")).json()
            assert national["generation"] == result.generation
            assert national["items"][0]["enrolled"] == rebuilt["national"][0][5]
    finally:
        await pool.close()
