"""The README's operator commands, run as processes against real Kafka and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import random
import sys

import asyncpg
import pytest

from lintas_shared.db import create_pool
from reporting.adapters.postgres import generations
from reporting.domain.facts import FACT_TABLES
from reporting.settings import ReportingSettings
from tests.integration.reporting.kafka_support import private_settings, publish
from tests.integration.reporting.support import (
    new_generation,
    project_in_batches,
    snapshot,
)
from tests.support.synthetic_history import as_deliveries, history

pytestmark = pytest.mark.integration


def _env(settings: ReportingSettings) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        env[f"LINTAS_REPORTING_{name.upper()}"] = str(value)
    # str() of the dumped model would hide the password: the settings JSON keeps it.
    env["LINTAS_REPORTING_KAFKA_SECURITY"] = settings.kafka_security.settings_json()
    return env


async def _run(settings: ReportingSettings, *args: str) -> tuple[int, str]:
    """``python -m reporting ARGS``: exit code and combined output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "reporting",
        *args,
        env=_env(settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=300)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def _current(pool: asyncpg.Pool) -> str:
    async with pool.acquire() as conn:
        return await generations.current(conn)


async def test_rebuild_all_model_and_status_commands_do_what_the_readme_says(
    kafka_bootstrap: str, fresh_database: str
) -> None:
    settings = await private_settings(kafka_bootstrap, fresh_database)
    events = history(random.randrange(10**9), packages=12, officers=8)
    await publish(kafka_bootstrap, settings, events)

    code, out = await _run(settings, "status")
    assert code == 1 and "no current generation" in out, out

    code, out = await _run(settings, "rebuild")
    assert code == 2 and "--all" in out, out  # neither --all nor --model

    code, out = await _run(settings, "rebuild", "--model", "nope")
    assert code == 2 and "nope" in out, out

    pool = await create_pool(fresh_database, max_size=2)
    try:
        code, out = await _run(settings, "rebuild", "--all")
        assert code == 0, out
        assert "switched" in out and f"{len(events):,} events" in out, out
        first = await _current(pool)
        reference = await new_generation(pool)
        ordered = sorted(
            as_deliveries(events), key=lambda d: (d.event.time, d.event.id)
        )
        await project_in_batches(pool, reference, [ordered])
        expected = await snapshot(pool, reference)
        assert expected["national"][0][5] > 0, "nothing enrolled: vacuous"
        assert await snapshot(pool, first) == expected

        code, out = await _run(
            settings, "rebuild", "--model", "agreements", "--model", "instructors"
        )
        assert code == 0, out
        second = await _current(pool)
        assert second != first
        facts = await pool.fetchval(
            "SELECT facts FROM rm_control.generations WHERE name = $1", second
        )
        assert set(facts) < FACT_TABLES  # only what those two models read
        assert await snapshot(pool, second) == expected  # the rest was copied

        code, out = await _run(settings, "status")
        assert code == 0, out
        assert f"current: {second}" in out, out
        assert first in out and "retired" in out, out
    finally:
        await pool.close()
